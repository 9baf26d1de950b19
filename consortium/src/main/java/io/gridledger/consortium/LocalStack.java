package io.gridledger.consortium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridledger.ledger.fabric.FabricLedger;
import io.gridledger.ledger.fabric.FabricSettings;
import io.gridledger.ledger.fabric.FileIdentities;
import io.gridledger.storage.embedded.EmbeddedS3Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A whole GridLedger consortium on this machine, every part a supervised child process with its state in one data
 * folder: devnet (the orgs' peers and the orderer), and per member org its chaincode server, its Kafka broker, its S3
 * object store, its gateway-service, and — for the first {@link StackSettings#agentOrgs()} orgs — a provider agent
 * running jobs on the local container engine. {@link #start} brings it up in dependency order, in parallel where it
 * can; a first start also approves the genesis parameters and makes each org's tokens and deposits
 * ({@link Provisioning}); a later start on the same folder resumes it. {@link #close} stops everything, agents first.
 *
 * <pre>{@code
 * try (var stack = LocalStack.start(settings, new Progress(System.out))) {
 *     stack.gatewayUrl("Org1MSP");          // http://127.0.0.1:8081
 *     stack.partnerToken("Org1MSP");        // a demo partner of Org1 (User1's account, funded)
 *     stack.agent("Org2MSP").kill();        // a crashing provider
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Short-lived helper JVMs: C1 only and the serial collector start fastest and use least CPU on a small machine. */
    /** Credits per resource unit of every node's offer: a no-op job of the demo costs a few hundred, the fee shows. */
    static final long UNIT_PRICE = 1_000;
    private static final List<String> SMALL_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k");

    private final StackSettings settings;
    private final StackState state;
    private final Progress progress;
    private final Map<String, ManagedPart> chaincodes = new LinkedHashMap<>();
    private final Map<String, ManagedPart> kafkas = new LinkedHashMap<>();
    private final Map<String, ObjectStorePart> objectStores = new LinkedHashMap<>();
    private final Map<String, ManagedPart> gateways = new LinkedHashMap<>();
    private final Map<String, ManagedPart> agents = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> agentExtras = new ConcurrentHashMap<>();
    private ManagedPart devnet;
    private Map<String, DevnetOrg> devnetOrgs = Map.of();
    private ScheduledExecutorService watchdog;
    private volatile boolean closing;

    /** An org as devnet's {@code connection.json} describes it. */
    public record DevnetOrg(String mspId, String peerEndpoint, Path usersDir) {
    }

    private LocalStack(StackSettings settings, StackState state, Progress progress) {
        this.settings = settings;
        this.state = state;
        this.progress = progress;
    }

    /** Starts (or resumes) the consortium and returns once every part is ready; stops what it started if one fails. */
    public static LocalStack start(StackSettings settings, Progress progress) {
        var stack = prepare(settings, progress);
        try {
            stack.bringUp();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * The consortium of {@code settings}, not started yet: {@link #bringUp()} starts it. For a launcher that must be able
     * to {@link #close()} it from a signal handler while it starts.
     */
    public static LocalStack prepare(StackSettings settings, Progress progress) {
        var state = StackState.load(settings.stateFile());
        if (state.orgs != 0 && state.orgs != settings.orgs()) {
            throw new StackException(settings.dataDir() + " holds a consortium of " + state.orgs + " orgs, not "
                    + settings.orgs() + ": start it with --orgs " + state.orgs + ", or choose another --data-dir");
        }
        state.orgs = settings.orgs();
        state.portOffset = settings.portOffset();
        return new LocalStack(settings, state, progress);
    }

    /** Starts every part (see the class comment) and returns once all are ready. */
    public void bringUp() {
        requireJars();
        try {
            Files.createDirectories(settings.logsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + settings.logsDir(), e);
        }
        state.save(settings.stateFile());
        defineInfrastructure();
        everyManagedPart().forEach(p -> p.process.reapLeftover());
        checkPortsFree();
        boolean resuming = Files.exists(settings.devnetDir().resolve("connection.json"));
        progress.step((resuming ? "resuming" : "creating") + " the consortium in " + settings.dataDir() + " ("
                + settings.orgs() + " orgs; logs in " + settings.logsDir() + ")");

        // Chaincode servers, Kafka brokers and object stores need nothing else: all at once.
        var independent = new ArrayList<CompletableFuture<Void>>();
        chaincodes.values().forEach(p -> independent.add(async(p)));
        kafkas.values().forEach(p -> independent.add(async(p)));
        objectStores.values().forEach(p -> independent.add(async(p)));
        awaitAll(independent.subList(0, chaincodes.size()));
        progress.step("chaincode servers listening on " + chaincodes.keySet().stream()
                .map(org -> "127.0.0.1:" + settings.chaincodePort(org)).toList());
        devnet.start();
        devnetOrgs = readConnection();
        defineServices();
        progress.step("devnet ready: orderer 127.0.0.1:" + settings.ordererPort() + ", peers " + devnetOrgs.values()
                .stream().map(DevnetOrg::peerEndpoint).toList());
        var genesis = CompletableFuture.runAsync(() -> Provisioning.genesis(this));
        awaitAll(independent);
        progress.step("Kafka brokers and S3 object stores ready");
        genesis.join();
        var gatewayStarts = gateways.values().stream().map(this::async).toList();
        awaitAll(gatewayStarts);
        progress.step("gateway-services ready: " + gateways.keySet().stream().map(settings::gatewayUrl).toList());
        Provisioning.accounts(this);
        var agentStarts = settings.agentMspIds().stream().map(org -> async(agents.get(org))).toList();
        awaitAll(agentStarts);
        if (!agents.isEmpty()) {
            progress.step("provider agents online: " + agents.keySet());
        }
        state.save(settings.stateFile());
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "consortium-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.scheduleWithFixedDelay(this::restartCrashed, 2, 2, TimeUnit.SECONDS);
    }

    // --- the parts ---

    private void defineInfrastructure() {
        var logs = settings.logsDir();
        var run = settings.dataDir().resolve("run");
        var chaincodeJar = settings.jar("chaincode/target/gridledger-chaincode.jar").toString();
        var addresses = new ArrayList<String>();
        for (var org : settings.mspIds()) {
            var address = "127.0.0.1:" + settings.chaincodePort(org);
            addresses.add(org + "=" + address);
            var process = new ManagedProcess("chaincode-" + StackSettings.shortName(org),
                    ManagedProcess.java(withHeap("128m"), "-jar", chaincodeJar),
                    Map.of("CHAINCODE_SERVER_ADDRESS", address, "CORE_CHAINCODE_ID_NAME", "gridledger:1.0",
                            "CORE_PEER_LOCALMSPID", org),
                    logs.resolve("chaincode-" + StackSettings.shortName(org) + ".log"), run);
            int port = settings.chaincodePort(org);
            chaincodes.put(org, new ManagedPart(process, "chaincode server listening", p -> listening(port)));
        }
        var devnetProcess = new ManagedProcess("devnet", ManagedProcess.java(List.of("-Xmx512m", "-XX:+UseSerialGC"),
                "-jar", settings.jar("network-config/devnet/target/gridledger-devnet.jar").toString(), "up",
                "--fabric-dir", settings.jar("network-config/fabric").toString(),
                "--data-dir", settings.devnetDir().toString(), "--orgs", Integer.toString(settings.orgs()),
                "--port", Integer.toString(settings.ordererPort() + 1), "--batch-timeout", settings.batchTimeout(),
                "--chaincode-address", String.join(",", addresses)), Map.of(), logs.resolve("devnet.log"), run);
        devnet = new ManagedPart(devnetProcess, "devnet ready", p -> p.logged("devnet ready"));

        var gatewayJar = settings.jar("gateway-service/target/gridledger-gateway.jar").toString();
        for (var org : settings.mspIds()) {
            var dir = settings.orgDir(org);
            var name = StackSettings.shortName(org);
            var kafka = new ManagedProcess("kafka-" + name, ManagedProcess.java(withHeap("256m"), "-cp", gatewayJar,
                    "io.gridledger.gateway.dispatch.kafka.EmbeddedKafkaMain", dir.resolve("kafka").toString(),
                    Integer.toString(settings.kafkaPort(org))), Map.of(), logs.resolve("kafka-" + name + ".log"), run);
            kafkas.put(org, new ManagedPart(kafka, "Kafka accepting clients", p -> p.logged("embedded kafka ready on ")));
            objectStores.put(org, new ObjectStorePart("objects-" + name, EmbeddedS3Server.Options
                    .filesystem(dir.resolve("objects")).withPort(settings.objectStorePort(org))
                    .withCredentials("gridledger-" + name, state.objectSecret(org))
                    .withServerJar(settings.jar("storage/s3proxy-server/target/gridledger-s3proxy.jar"))
                    .withMaxHeap("192m")));
        }
    }

    /** The gateways and agents: they need devnet's identities, so they are defined once devnet has written them. */
    private void defineServices() {
        var gatewayJar = settings.jar("gateway-service/target/gridledger-gateway.jar").toString();
        for (var org : settings.mspIds()) {
            var name = StackSettings.shortName(org);
            var gateway = new ManagedPart(new ManagedProcess("gateway-" + name,
                    ManagedProcess.java(withHeap("320m"), "-jar", gatewayJar), gatewayEnvironment(org),
                    settings.logsDir().resolve("gateway-" + name + ".log"), settings.dataDir().resolve("run")),
                    "gateway healthy, dispatch reading the chain",
                    p -> health(settings.gatewayPort(org)).contains("\"checkpointBlock\""));
            gateway.process.reapLeftover();
            gateways.put(org, gateway);
        }
        for (var org : settings.agentMspIds()) {
            var agent = agentPart(org, Map.of());
            agent.process.reapLeftover();
            agents.put(org, agent);
        }
    }

    private Map<String, String> gatewayEnvironment(String org) {
        var dir = settings.orgDir(org);
        var env = new LinkedHashMap<String, String>();
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(settings.gatewayPort(org)));
        env.put("GRIDLEDGER_FABRIC_MSP_ID", org);
        env.put("GRIDLEDGER_FABRIC_PEER_ENDPOINT", "127.0.0.1:" + (settings.ordererPort() + StackSettings.index(org)));
        env.put("GRIDLEDGER_FABRIC_USERS_DIR", usersDir(org).toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + settings.kafkaPort(org));
        env.put("GRIDLEDGER_DISPATCH_CHECKPOINT_FILE", dir.resolve("gateway/checkpoint.json").toString());
        env.put("GRIDLEDGER_API_DATA_DIR", dir.resolve("gateway/api").toString());
        env.put("GRIDLEDGER_API_AUTH_TOKENS_FILE", dir.resolve("gateway/api/tokens.json").toString());
        env.put("GRIDLEDGER_API_AUTH_BOOTSTRAP_ADMIN_TOKEN", state.adminToken(org));
        env.put("GRIDLEDGER_OBJECTS_ENDPOINT", "http://127.0.0.1:" + settings.objectStorePort(org));
        env.put("GRIDLEDGER_OBJECTS_ACCESS_KEY", "gridledger-" + StackSettings.shortName(org));
        env.put("GRIDLEDGER_OBJECTS_SECRET_KEY", state.objectSecret(org));
        env.put("GRIDLEDGER_OBJECTS_BUCKET", "gridledger");
        return env;
    }

    private Path usersDir(String org) {
        return devnetOrgs.get(org).usersDir();
    }

    /** The org's agent (node1), with extra properties ({@code gridledger.agent.faults.corrupt-results}). */
    private ManagedPart agentPart(String org, Map<String, String> extra) {
        var name = StackSettings.shortName(org);
        var properties = new LinkedHashMap<String, String>();
        properties.put("micronaut.server.port", Integer.toString(settings.agentPort(org)));
        properties.put("gridledger.fabric.msp-id", org);
        properties.put("gridledger.fabric.peer-endpoint", "127.0.0.1:" + (settings.ordererPort() + StackSettings.index(org)));
        properties.put("gridledger.fabric.users-dir", usersDir(org).toString());
        properties.put("kafka.bootstrap.servers", "127.0.0.1:" + settings.kafkaPort(org));
        properties.put("gridledger.agent.identity", "node1");
        properties.put("gridledger.agent.offer-id", "offer-" + name + "-node1");
        properties.put("gridledger.agent.capacity", Integer.toString(settings.agentCapacity()));
        properties.put("gridledger.agent.unit-price", Long.toString(UNIT_PRICE));
        properties.put("gridledger.agent.stake", Long.toString(Provisioning.nodeStake(settings)));
        properties.put("gridledger.agent.data-dir", settings.orgDir(org).resolve("agent").toString());
        properties.put("gridledger.agent.engine-socket", settings.engineSocket());
        properties.put("gridledger.agent.slot-cpu-millis", "1000");
        properties.put("gridledger.agent.slot-memory-mib", "512");
        properties.put("gridledger.agent.slot-storage-mib", "1024");
        properties.put("gridledger.agent.heartbeat-interval", "5s");
        for (var other : settings.mspIds()) {
            properties.put("gridledger.agent.gateways." + other, settings.gatewayUrl(other));
        }
        properties.putAll(extra);
        var options = new ArrayList<>(withHeap("256m"));
        properties.forEach((k, v) -> options.add("-D" + k + "=" + v));
        var process = new ManagedProcess("agent-" + name, ManagedProcess.java(options, "-jar",
                settings.jar("provider-agent/target/gridledger-agent.jar").toString()), Map.of("LC_ALL", "C.UTF-8"),
                settings.logsDir().resolve("agent-" + name + ".log"), settings.dataDir().resolve("run"));
        return new ManagedPart(process, "agent online with its offer",
                p -> health(settings.agentPort(org)).contains("\"status\":\"UP\"") && p.logged("online: offer"));
    }

    private static List<String> withHeap(String heap) {
        var options = new ArrayList<>(SMALL_JVM);
        options.add("-Xmx" + heap);
        return options;
    }

    private List<ManagedPart> everyManagedPart() {
        var all = new ArrayList<ManagedPart>();
        all.addAll(agents.values());
        all.addAll(gateways.values());
        all.addAll(kafkas.values());
        all.add(devnet);
        all.addAll(chaincodes.values());
        return all;
    }

    // --- start-up plumbing ---

    private CompletableFuture<Void> async(Part part) {
        return CompletableFuture.runAsync(part::start);
    }

    private static void awaitAll(List<CompletableFuture<Void>> starts) {
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void requireJars() {
        for (var jar : List.of("chaincode/target/gridledger-chaincode.jar", "network-config/devnet/target/gridledger-devnet.jar",
                "storage/s3proxy-server/target/gridledger-s3proxy.jar", "gateway-service/target/gridledger-gateway.jar",
                "provider-agent/target/gridledger-agent.jar")) {
            if (!Files.isRegularFile(settings.jar(jar))) {
                throw new StackException(settings.jar(jar) + " is not built: run `mvn -B -ntp -DskipTests package` in "
                        + settings.repository() + " (./gridledger up does)");
            }
        }
    }

    /** Every port the stack is about to bind must be free; the error names the part and, when it can, the holder. */
    private void checkPortsFree() {
        var wanted = new LinkedHashMap<Integer, String>();
        wanted.put(settings.ordererPort(), "devnet's orderer");
        for (var org : settings.mspIds()) {
            wanted.put(settings.ordererPort() + StackSettings.index(org), "devnet's peer of " + org);
            wanted.put(settings.chaincodePort(org), "the chaincode server of " + org);
            wanted.put(settings.kafkaPort(org), "the Kafka broker of " + org);
            wanted.put(settings.objectStorePort(org), "the object store of " + org);
            wanted.put(settings.gatewayPort(org), "the gateway-service of " + org);
        }
        for (var org : settings.agentMspIds()) {
            wanted.put(settings.agentPort(org), "the provider agent of " + org);
        }
        var taken = new ArrayList<String>();
        wanted.forEach((port, part) -> {
            try (var socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                taken.add("port " + port + " (" + part + ") is in use" + PortHolder.describe(port));
            }
        });
        if (!taken.isEmpty()) {
            throw new StackException(String.join("\n", taken) + "\nstop what holds them, or move every port with --port-offset N");
        }
    }

    private Map<String, DevnetOrg> readConnection() {
        try {
            JsonNode connection = JSON.readTree(settings.devnetDir().resolve("connection.json").toFile());
            var orgs = new LinkedHashMap<String, DevnetOrg>();
            for (var org : connection.get("organizations")) {
                var admin = Path.of(org.get("users").get("Admin").get("certificate").asText());
                // users/<name>@<domain>/msp/signcerts/<cert>.pem
                orgs.put(org.get("mspId").asText(), new DevnetOrg(org.get("mspId").asText(),
                        org.get("peerEndpoint").asText(), admin.getParent().getParent().getParent().getParent()));
            }
            return orgs;
        } catch (IOException e) {
            throw new StackException("cannot read devnet's connection.json: " + e.getMessage(), e);
        }
    }

    static boolean listening(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String health(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Starts again, once, what exited without being asked to (a crashed part), when the settings say so. */
    private void restartCrashed() {
        if (closing || !settings.restartCrashed()) {
            return;
        }
        for (var part : everyManagedPart()) {
            if (part.process.crashed() && !closing) {
                progress.step(part.name() + " exited with status " + part.process.exitValue() + "; starting it again (log: "
                        + part.process.log() + ")");
                try {
                    part.start();
                    progress.step(part.name() + " is back");
                } catch (RuntimeException e) {
                    progress.step(part.name() + " did not come back: " + e.getMessage());
                }
            }
        }
    }

    // --- what clients and the end-to-end suite use ---

    public StackSettings settings() {
        return settings;
    }

    public StackState state() {
        return state;
    }

    Progress progress() {
        return progress;
    }

    public Map<String, DevnetOrg> devnetOrgs() {
        return devnetOrgs;
    }

    public String gatewayUrl(String mspId) {
        return settings.gatewayUrl(requireOrg(mspId));
    }

    public String adminToken(String mspId) {
        return state.adminToken(requireOrg(mspId));
    }

    /** The token of {@code mspId}'s demo partner (User1's account). */
    public String partnerToken(String mspId) {
        var token = state.partnerTokens.get(requireOrg(mspId));
        if (token == null) {
            throw new StackException("no partner token for " + mspId + " yet");
        }
        return token;
    }

    public Part devnet() {
        return devnet;
    }

    public Part chaincode(String mspId) {
        return chaincodes.get(requireOrg(mspId));
    }

    public Part kafka(String mspId) {
        return kafkas.get(requireOrg(mspId));
    }

    public Part objectStore(String mspId) {
        return objectStores.get(requireOrg(mspId));
    }

    public Part gateway(String mspId) {
        return gateways.get(requireOrg(mspId));
    }

    /** The agent of {@code mspId}'s node1; {@link IllegalArgumentException} when that org runs none. */
    public Part agent(String mspId) {
        var agent = agents.get(requireOrg(mspId));
        if (agent == null) {
            throw new IllegalArgumentException(mspId + " runs no agent: " + agents.keySet());
        }
        return agent;
    }

    /**
     * Replaces {@code mspId}'s agent by one started with {@code extra} properties (a lying provider:
     * {@code gridledger.agent.faults.corrupt-results=true}); an empty map restores the normal agent. Same node, journal
     * and offer: the old agent stops cleanly first.
     */
    public Part reconfigureAgent(String mspId, Map<String, String> extra) {
        var old = agent(mspId);
        old.stop();
        agentExtras.put(mspId, Map.copyOf(extra));
        var replacement = agentPart(mspId, extra);
        agents.put(mspId, replacement);
        replacement.start();
        return replacement;
    }

    /**
     * A ledger facade acting as {@code mspId}'s identities (Admin, User1, node1) over its own peer, for operators and for
     * the end-to-end suite's audits; close it.
     */
    public FabricLedger ledger(String mspId) {
        var org = devnetOrgs.get(requireOrg(mspId));
        var fabric = new FabricSettings(mspId, org.peerEndpoint(), org.usersDir().toString(), "gridledger", "gridledger",
                null, null, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60),
                6, Duration.ofMillis(50), Duration.ofSeconds(1));
        return new FabricLedger(fabric, FileIdentities.load(mspId, org.usersDir()), io.micronaut.serde.ObjectMapper.getDefault(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** The credits {@link Provisioning} issued: each org's demo partner's, and each provider node's stake. */
    public long creditsIssued() {
        return settings.orgs() * Provisioning.PARTNER_CREDITS + settings.agentOrgs() * Provisioning.nodeStake(settings);
    }

    /** The account of one of an org's users: {@code Org2MSP/node1@org2.gridledger.example}. */
    public static String account(String mspId, String user) {
        return Provisioning.account(mspId, user);
    }

    /** Every part, by name ({@code devnet}, {@code gateway-org1}, …), for measurements. */
    public Map<String, Part> parts() {
        var all = new LinkedHashMap<String, Part>();
        all.put(devnet.name(), devnet);
        for (var map : List.<Map<String, ? extends Part>>of(chaincodes, kafkas, objectStores, gateways, agents)) {
            map.values().forEach(part -> all.put(part.name(), part));
        }
        return all;
    }

    /** Where a part's log is: for error messages and the suite's reports. */
    public Path logsDir() {
        return settings.logsDir();
    }

    private String requireOrg(String mspId) {
        if (!settings.mspIds().contains(mspId)) {
            throw new IllegalArgumentException("no org " + mspId + " in this consortium: " + settings.mspIds());
        }
        return mspId;
    }

    /** Stops every part, in reverse dependency order; parts of one tier stop together. */
    @Override
    public void close() {
        closing = true;
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        stopTier(new ArrayList<>(agents.values()), Duration.ofSeconds(20));
        stopTier(new ArrayList<>(gateways.values()), Duration.ofSeconds(15));
        var storage = new ArrayList<Part>(kafkas.values());
        storage.addAll(objectStores.values());
        stopTier(storage, Duration.ofSeconds(15));
        if (devnet != null) {
            devnet.stop();
        }
        stopTier(new ArrayList<>(chaincodes.values()), Duration.ofSeconds(5));
        if (!state.adminTokens.isEmpty()) {
            state.save(settings.stateFile());
        }
    }

    private static void stopTier(List<? extends Part> parts, Duration grace) {
        awaitAll(parts.stream().map(p -> CompletableFuture.runAsync(() -> {
            if (p instanceof ManagedPart managed) {
                managed.process.stop(grace);
            } else {
                p.stop();
            }
        })).toList());
    }

    /** A part that is one child process, ready when {@code ready} says so. */
    static final class ManagedPart implements Part {

        final ManagedProcess process;
        private final String readiness;
        private final Function<ManagedProcess, Boolean> ready;

        ManagedPart(ManagedProcess process, String readiness, Function<ManagedProcess, Boolean> ready) {
            this.process = process;
            this.readiness = readiness;
            this.ready = ready;
        }

        @Override
        public String name() {
            return process.name();
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean isRunning() {
            return process.isAlive();
        }

        @Override
        public void start() {
            process.start();
            process.awaitReady(readiness, READY_TIMEOUT, () -> ready.apply(process));
        }

        @Override
        public void stop() {
            process.stop(Duration.ofSeconds(20));
        }

        @Override
        public void kill() {
            process.kill();
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** An org's S3 server (s3proxy on the filesystem, {@link EmbeddedS3Server}): its objects stay across restarts. */
    static final class ObjectStorePart implements Part {

        private final String name;
        private final EmbeddedS3Server.Options options;
        private volatile EmbeddedS3Server server;

        ObjectStorePart(String name, EmbeddedS3Server.Options options) {
            this.name = name;
            this.options = options;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long pid() {
            return server.pid();
        }

        @Override
        public boolean isRunning() {
            var current = server;
            return current != null && current.isRunning();
        }

        @Override
        public synchronized void start() {
            if (isRunning()) {
                return;
            }
            try {
                server = EmbeddedS3Server.start(options);
            } catch (IOException e) {
                throw new StackException(name + " did not start on port " + options.port() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized void stop() {
            if (server != null) {
                server.close();
            }
        }

        @Override
        public synchronized void kill() {
            if (server != null) {
                ProcessHandle.of(server.pid()).ifPresent(ProcessHandle::destroyForcibly);
                server.close();
            }
        }
    }
}
