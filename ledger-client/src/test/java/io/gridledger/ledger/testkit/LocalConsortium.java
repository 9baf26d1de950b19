package io.gridledger.ledger.testkit;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.gridledger.ledger.Parameters;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A GridLedger consortium on this machine, for tests: the unchanged chaincode jar as one chaincode-as-a-service
 * server per member org (each with its org's {@code CORE_PEER_LOCALMSPID}, as each member runs its own) and devnet
 * ({@code gridledger-devnet.jar up}) whose peers dial them, as child processes, bootstrapped with {@link #PARAMS}.
 * Started once per test JVM ({@link #shared()}, a few seconds) and stopped when it exits.
 *
 * <pre>{@code
 * var consortium = LocalConsortium.shared();
 * var org1 = consortium.org("Org1MSP");
 * org1.peerEndpoint();            // 127.0.0.1:port of Org1's peer
 * org1.usersDir();                // …/users: Admin@org1…/msp/{signcerts,keystore}, User1@…, node1@…
 * }</pre>
 *
 * <p>The jars are the ones the reactor built: {@code chaincode/target/gridledger-chaincode.jar} and
 * {@code network-config/devnet/target/gridledger-devnet.jar}, found from the module's folder.
 */
public final class LocalConsortium {

    public static final String CHANNEL = "gridledger";
    public static final String CHAINCODE = "gridledger";
    public static final List<String> ORGS = List.of("Org1MSP", "Org2MSP", "Org3MSP");
    /** Collateral per slot of capacity. */
    public static final long MIN_STAKE = 1_000;
    /** Short, so that the sweeper's tests see commit deadlines and reveal windows pass within seconds. */
    public static final long COMMIT_GRACE_SECONDS = 4;
    public static final long REVEAL_WINDOW_SECONDS = 8;
    /** Clients and peers share this machine's clock. */
    public static final long CLOCK_TOLERANCE_SECONDS = 2;
    /** The consortium's genesis parameters, approved by the admins of Org1 and Org2. */
    public static final String PARAMS = params();

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static LocalConsortium shared;

    private final Path root;
    private final Path dataDir;
    private final Map<String, Org> orgs;
    private final String ordererEndpoint;
    private final List<ChildProcess> processes;

    private LocalConsortium(Path root, Path dataDir, Map<String, Org> orgs, String ordererEndpoint, List<ChildProcess> processes) {
        this.root = root;
        this.dataDir = dataDir;
        this.orgs = orgs;
        this.ordererEndpoint = ordererEndpoint;
        this.processes = processes;
    }

    /** The consortium shared by this test JVM, started (and bootstrapped) on first use. */
    public static synchronized LocalConsortium shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "stop-local-consortium"));
        }
        return shared;
    }

    /** Waits until each chaincode server ({@code MSP=host:port}) accepts connections; stops them all if one does not. */
    private static void awaitListening(List<ChildProcess> chaincodes, List<String> addresses) {
        var deadline = Instant.now().plus(READY_TIMEOUT);
        for (int i = 0; i < addresses.size(); i++) {
            var hostPort = addresses.get(i).substring(addresses.get(i).indexOf('=') + 1);
            var host = hostPort.substring(0, hostPort.lastIndexOf(':'));
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            while (true) {
                try (var socket = new java.net.Socket()) {
                    socket.connect(new java.net.InetSocketAddress(host, port), 500);
                    break;
                } catch (IOException notYet) {
                    var process = chaincodes.get(i);
                    if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                        chaincodes.forEach(ChildProcess::stop);
                        throw new IllegalStateException("chaincode " + addresses.get(i) + " is not listening\n"
                                + process.logTail());
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    private static LocalConsortium start() {
        var repo = repositoryRoot();
        var chaincodeJar = requireFile(repo.resolve("chaincode/target/gridledger-chaincode.jar"));
        var devnetJar = requireFile(repo.resolve("network-config/devnet/target/gridledger-devnet.jar"));
        Path root;
        try {
            root = Files.createTempDirectory("gridledger-consortium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var processes = new ArrayList<ChildProcess>();
        var addresses = new ArrayList<String>();
        for (var mspId : ORGS) {
            var address = "127.0.0.1:" + ChildProcess.freePort();
            processes.add(ChildProcess.start("chaincode-" + mspId, ChildProcess.java("-Xmx192m", "-jar", chaincodeJar.toString()),
                    Map.of("CHAINCODE_SERVER_ADDRESS", address, "CORE_CHAINCODE_ID_NAME", "gridledger:1.0",
                            "CORE_PEER_LOCALMSPID", mspId),
                    root.resolve("chaincode-" + mspId + ".log")));
            addresses.add(mspId + "=" + address);
        }
        // The devnet binds its own ports as 0: it must not start before every chaincode server holds its address, or
        // the kernel may hand a chaincode's (probed, then released) port to the devnet's orderer.
        awaitListening(processes, addresses);
        var dataDir = root.resolve("devnet");
        var devnet = ChildProcess.start("devnet", ChildProcess.java("-Xmx384m", "-jar", devnetJar.toString(), "up",
                        "--fabric-dir", repo.resolve("network-config/fabric").toString(),
                        "--data-dir", dataDir.toString(), "--port", "0", "--batch-timeout", "100ms",
                        "--chaincode-address", String.join(",", addresses)),
                Map.of(), root.resolve("devnet.log"));
        processes.add(devnet);
        try {
            var deadline = Instant.now().plus(READY_TIMEOUT);
            while (!devnet.logged("devnet ready")) {
                if (!devnet.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("devnet did not become ready\n" + devnet.logTail());
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            var connection = ObjectMapper.getDefault().readValue(Files.readAllBytes(dataDir.resolve("connection.json")), JsonNode.class);
            var orgs = new LinkedHashMap<String, Org>();
            for (var org : connection.get("organizations").values()) {
                var users = new LinkedHashMap<String, UserFiles>();
                for (var user : org.get("users").entries()) {
                    users.put(user.getKey(), new UserFiles(Path.of(user.getValue().get("certificate").getStringValue()),
                            Path.of(user.getValue().get("privateKey").getStringValue())));
                }
                var mspId = org.get("mspId").getStringValue();
                orgs.put(mspId, new Org(mspId, org.get("peerEndpoint").getStringValue(), org.get("tls").getBooleanValue(),
                        Path.of(org.get("tlsCaCertificate").getStringValue()), org.get("tlsServerName").getStringValue(), users));
            }
            var consortium = new LocalConsortium(root, dataDir, orgs,
                    connection.get("orderer").get("endpoint").getStringValue(), processes);
            consortium.bootstrap();
            return consortium;
        } catch (Exception e) {
            var logs = new StringBuilder();
            processes.forEach(p -> logs.append('\n').append(p.logTail()));
            processes.forEach(ChildProcess::stop);
            throw new IllegalStateException("the local consortium did not start: " + e.getMessage() + logs, e);
        }
    }

    /**
     * Starts the consortium as the contract requires, through each org's ledger facade as its gateway would: the admins
     * of Org1 and Org2 (a majority of the three orgs) each approve {@link #PARAMS}; the completing approval must be
     * endorsed by the approving orgs' peers, since the peer of an org that did not approve refuses to apply them.
     */
    private void bootstrap() throws Exception {
        var approving = java.util.Set.of(ORGS.get(0), ORGS.get(1));
        for (var mspId : List.of(ORGS.get(0), ORGS.get(1))) {
            try (var ledger = TestLedgers.create(TestLedgers.settings(this, mspId, Duration.ofSeconds(30), Duration.ofSeconds(30)),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
                ledger.initLedger("Admin", parameters(), approving);
            }
        }
    }

    /** {@link #PARAMS} as the facade's type. */
    public static Parameters parameters() {
        try {
            return ObjectMapper.getDefault().readValue(PARAMS, Parameters.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plain Fabric Gateway SDK connection to {@code mspId}'s peer as {@code user} (Admin, User1, node1); close it. */
    public SdkConnection connect(String mspId, String user) {
        var org = org(mspId);
        var files = org.user(user);
        ManagedChannel channel = Grpc.newChannelBuilder(org.peerEndpoint(), InsecureChannelCredentials.create()).build();
        try (var certificate = Files.newBufferedReader(files.certificate()); var key = Files.newBufferedReader(files.privateKey())) {
            return new SdkConnection(Gateway.newInstance().identity(new X509Identity(mspId, Identities.readX509Certificate(certificate)))
                    .signer(Signers.newPrivateKeySigner(Identities.readPrivateKey(key))).hash(Hash.SHA256).connection(channel)
                    .evaluateOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .commitStatusOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                    .connect(), channel);
        } catch (Exception e) {
            channel.shutdownNow();
            throw new IllegalStateException("cannot connect to " + mspId + " as " + user, e);
        }
    }

    /** A Gateway SDK connection with its own gRPC channel, both closed together. */
    public record SdkConnection(Gateway gateway, ManagedChannel channel) implements AutoCloseable {
        public org.hyperledger.fabric.client.Contract contract() {
            return gateway.getNetwork(CHANNEL).getContract(CHAINCODE);
        }

        @Override
        public void close() {
            gateway.close();
            channel.shutdownNow();
        }
    }

    public Org org(String mspId) {
        var org = orgs.get(mspId);
        if (org == null) {
            throw new IllegalArgumentException("no org " + mspId + " in the consortium: " + orgs.keySet());
        }
        return org;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String ordererEndpoint() {
        return ordererEndpoint;
    }

    /** The account of one of an org's users: {@code Org2MSP/node1@org2.gridledger.example}. */
    public static String account(String mspId, String user) {
        return mspId + "/" + user + "@" + mspId.replace("MSP", "").toLowerCase() + ".gridledger.example";
    }

    /** Stops every process and removes the consortium's files. */
    public void stop() {
        processes.forEach(ChildProcess::stop);
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }

    /** One member org as devnet's {@code connection.json} describes it. */
    public record Org(String mspId, String peerEndpoint, boolean tls, Path tlsCaCertificate, String tlsServerName,
                      Map<String, UserFiles> users) {

        public UserFiles user(String name) {
            var files = users.get(name);
            if (files == null) {
                throw new IllegalArgumentException(mspId + " has no user " + name + ": " + users.keySet());
            }
            return files;
        }

        /** The org's {@code users} folder in the cryptogen layout: {@code <name>@<domain>/msp/{signcerts,keystore}}. */
        public Path usersDir() {
            // users/<name>@<domain>/msp/signcerts/<cert>.pem
            return user("Admin").certificate().getParent().getParent().getParent().getParent();
        }
    }

    public record UserFiles(Path certificate, Path privateKey) {
    }

    /** The module's folder is gateway-service/ under the repository root (Maven runs tests there). */
    private static Path repositoryRoot() {
        var dir = Path.of("").toAbsolutePath();
        for (var candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("network-config/fabric")) && Files.isDirectory(candidate.resolve("chaincode"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("not inside the GridLedger repository: " + dir);
    }

    private static Path requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: build from the repository root with "
                    + "`mvn -B -ntp verify -pl gateway-service -am` (it packages the chaincode and devnet first)");
        }
        return path;
    }

    private static String params() {
        var units = new LinkedHashMap<String, Object>();
        units.put("microPerMillicore", 1000);
        units.put("microPerMemoryMiB", 244);
        units.put("microPerGpu", 10_000_000);
        units.put("microPerStorageMiB", 1);
        var params = new LinkedHashMap<String, Object>();
        params.put("members", ORGS);
        params.put("feeBasisPoints", 250);
        params.put("minStakePerSlot", MIN_STAKE);
        params.put("slashBasisPoints", 1_000);
        params.put("defaultReplicas", 2);
        params.put("defaultQuorum", 2);
        params.put("commitGraceSeconds", COMMIT_GRACE_SECONDS);
        params.put("revealWindowSeconds", REVEAL_WINDOW_SECONDS);
        params.put("matchScanLimit", 200);
        params.put("clockToleranceSeconds", CLOCK_TOLERANCE_SECONDS);
        params.put("reputationUnitCredits", 1_000);
        params.put("reputationCapPerOrg", 100);
        params.put("units", units);
        try {
            return ObjectMapper.getDefault().writeValueAsString(params);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
