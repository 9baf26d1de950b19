package io.gridledger.agent.it;

import io.gridledger.agent.runtime.Engines;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.Resources;
import io.gridledger.ledger.Verification;
import io.gridledger.ledger.testkit.ChildProcess;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;
import io.gridledger.storage.ObjectStore;
import io.gridledger.storage.embedded.EmbeddedS3Server;
import io.gridledger.storage.minio.MinioObjectStore;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything a provider agent meets, real and local, shared by the ITs of one JVM: the local consortium (devnet, the
 * chaincode), each org's gateway service as its runnable jar (its embedded Kafka broker, its dispatch of assignments,
 * its housekeeping that settles its clients' jobs, its node exchange and partner API), the embedded S3 server holding
 * each org's bucket (the gateways' object stores, through {@code gridledger.objects.endpoint}), and agents as child
 * processes ({@code target/gridledger-agent.jar}), so one can be killed with SIGKILL. Org1 is the client org of every
 * job; agents reach each org's node exchange at that org's gateway ({@code gridledger.agent.gateways.<MSP>}).
 */
final class AgentStack {

    static final String CLIENT_ORG = "Org1MSP";
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private static AgentStack shared;

    final LocalConsortium consortium;
    final Path root;
    final EmbeddedS3Server s3;
    /** Org1's object store: the bucket its gateway serves inputs and results from. */
    final ObjectStore store;
    private final Map<String, Gateway> gateways = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<String>>> statuses = new ConcurrentHashMap<>();

    /** The bootstrap admin token of every gateway of the stack (partner tokens are made with it). */
    static final String ADMIN_TOKEN = "agent-it-admin-token-" + RUN + "-0123456789abcdef";

    /** A gateway service child process and its embedded broker's address. */
    record Gateway(ChildProcess process, int port, String kafka) {

        /** Its HTTP base URL: the partner API and the node exchange. */
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    /** The bucket of {@code mspId}'s object store on the embedded S3 server. */
    static String bucket(String mspId) {
        return mspId.equals(CLIENT_ORG) ? "gridledger" : "gridledger-" + mspId.toLowerCase(java.util.Locale.ROOT);
    }

    private AgentStack() throws IOException {
        consortium = LocalConsortium.shared();
        root = Files.createTempDirectory("gridledger-agent-it-");
        s3 = EmbeddedS3Server.start(EmbeddedS3Server.Options.filesystem(root.resolve("s3")).withMaxHeap("256m"));
        store = new MinioObjectStore(s3.storeConfig("gridledger"));
        store.createBucket();
        client().deposit("Admin", LocalConsortium.account(CLIENT_ORG, "User1"), 10_000_000);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateways.values().forEach(g -> g.process().stop());
            store.close();
            s3.close();
            if (!Boolean.getBoolean("gridledger.it.keep")) { // -Dgridledger.it.keep=true keeps the logs
                try (var files = Files.walk(root)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                } catch (IOException e) {
                    // best effort: a temp dir
                }
            }
        }, "stop-agent-stack"));
    }

    static synchronized AgentStack shared() {
        if (shared == null) {
            try {
                shared = new AgentStack();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    static Ledger client() {
        return TestLedgers.of(CLIENT_ORG);
    }

    /** {@code mspId}'s gateway, started on first use; it waits until its dispatch reads the chain. */
    Gateway gateway(String mspId) {
        return gateways.computeIfAbsent(mspId, this::startGateway);
    }

    private Gateway startGateway(String mspId) {
        var org = consortium.org(mspId);
        int port = ChildProcess.freePort();
        int kafkaPort = ChildProcess.freePort();
        Path dir = root.resolve("gateway-" + mspId);
        var env = new LinkedHashMap<String, String>();
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        env.put("GRIDLEDGER_FABRIC_MSP_ID", mspId);
        env.put("GRIDLEDGER_FABRIC_PEER_ENDPOINT", org.peerEndpoint());
        env.put("GRIDLEDGER_FABRIC_USERS_DIR", org.usersDir().toString());
        env.put("GRIDLEDGER_KAFKA_EMBEDDED", "true");
        env.put("GRIDLEDGER_KAFKA_EMBEDDED_PORT", Integer.toString(kafkaPort));
        env.put("GRIDLEDGER_KAFKA_EMBEDDED_DATA_DIR", dir.resolve("kafka").toString());
        env.put("GRIDLEDGER_DISPATCH_CHECKPOINT_FILE", dir.resolve("checkpoint.json").toString());
        env.put("GRIDLEDGER_API_DATA_DIR", dir.resolve("api").toString());
        env.put("GRIDLEDGER_API_AUTH_TOKENS_FILE", dir.resolve("api/tokens.json").toString());
        env.put("GRIDLEDGER_API_AUTH_BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN);
        // The org's object store: its own bucket on the test's embedded S3 server, so the test can put inputs and
        // check outputs where the gateway's node exchange serves and records them.
        var objects = s3.storeConfig(bucket(mspId));
        env.put("GRIDLEDGER_OBJECTS_ENDPOINT", objects.endpoint().toString());
        env.put("GRIDLEDGER_OBJECTS_ACCESS_KEY", objects.accessKey());
        env.put("GRIDLEDGER_OBJECTS_SECRET_KEY", objects.secretKey());
        env.put("GRIDLEDGER_OBJECTS_BUCKET", bucket(mspId));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var jar = repository().resolve("gateway-service/target/gridledger-gateway.jar");
        var process = ChildProcess.start("gateway-" + mspId, ChildProcess.java("-Xmx320m", "-jar", jar.toString()), env,
                dir.resolve("gateway.log"));
        awaitHealth(process, port, "\"checkpointBlock\"");
        var gateway = new Gateway(process, port, "127.0.0.1:" + kafkaPort);
        follow(mspId, gateway.kafka());
        return gateway;
    }

    /** Records the agent-status topic of {@code mspId}'s Kafka: values by job id, in order. */
    private void follow(String mspId, String kafka) {
        var byJob = statuses.computeIfAbsent(mspId, org -> new ConcurrentHashMap<>());
        var thread = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka,
                    "group.id", "agent-it-" + RUN + "-" + mspId, "auto.offset.reset", "earliest",
                    "metadata.max.age.ms", "1000"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("gridledger.agent-status", "gridledger.node-status"));
                while (true) {
                    for (var record : consumer.poll(Duration.ofMillis(200))) {
                        String key = record.topic().equals("gridledger.node-status") ? NODE + record.key() : record.key();
                        byJob.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(record.value());
                    }
                }
            }
        }, "agent-status-" + mspId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Heartbeats are kept under this prefix and the node id. */
    private static final String NODE = "node:";

    /** The heartbeats of {@code nodeId} on {@code mspId}'s Kafka so far. */
    List<String> heartbeats(String mspId, String nodeId) {
        return statuses(mspId, NODE + nodeId);
    }

    /** The status records of {@code jobId} on {@code mspId}'s Kafka so far. */
    List<String> statuses(String mspId, String jobId) {
        return List.copyOf(statuses.getOrDefault(mspId, Map.of()).getOrDefault(jobId, List.of()));
    }

    /** The {@code "step"} of each status record of the job, in order. */
    List<String> steps(String mspId, String jobId) {
        return statuses(mspId, jobId).stream().map(s -> s.replaceAll(".*\"step\":\"([a-z]+)\".*", "$1")).toList();
    }

    // --- agents ---

    /** How to start one agent. */
    record AgentConfig(String mspId, String offerId, int capacity, Map<String, String> labels, String engineSocket,
                       Path dataDir, Map<String, String> extra) {

        AgentConfig with(String key, String value) {
            var more = new LinkedHashMap<>(extra);
            more.put(key, value);
            return new AgentConfig(mspId, offerId, capacity, labels, engineSocket, dataDir, more);
        }
    }

    AgentConfig agentConfig(String mspId, String name, Map<String, String> labels) {
        return new AgentConfig(mspId, "offer-" + name + "-" + RUN, 3, labels,
                "unix://" + Engines.socket("docker"), root.resolve("agent-" + name), Map.of());
    }

    /** An agent of the org's node1, as a child process; returns once it is online (its offer active). */
    AgentProcess startAgent(AgentConfig config) {
        var gateway = gateway(config.mspId());
        var fabric = consortium.org(config.mspId());
        // Ten times the minimum stake: the failure tests' no-shows are slashed, and an offer below the minimum gets no work.
        long stake = LocalConsortium.MIN_STAKE * config.capacity() * 10;
        client(config.mspId()).deposit("Admin", LocalConsortium.account(config.mspId(), "node1"), stake);
        int port = ChildProcess.freePort();
        var properties = new LinkedHashMap<String, String>();
        properties.put("micronaut.server.port", Integer.toString(port));
        properties.put("gridledger.fabric.msp-id", config.mspId());
        properties.put("gridledger.fabric.peer-endpoint", fabric.peerEndpoint());
        properties.put("gridledger.fabric.users-dir", fabric.usersDir().toString());
        properties.put("kafka.bootstrap.servers", gateway.kafka());
        properties.put("gridledger.agent.identity", "node1");
        properties.put("gridledger.agent.offer-id", config.offerId());
        properties.put("gridledger.agent.capacity", Integer.toString(config.capacity()));
        properties.put("gridledger.agent.stake", Long.toString(stake));
        properties.put("gridledger.agent.data-dir", config.dataDir().toString());
        properties.put("gridledger.agent.engine-socket", config.engineSocket());
        properties.put("gridledger.agent.slot-cpu-millis", "1000");
        properties.put("gridledger.agent.slot-memory-mib", "512");
        properties.put("gridledger.agent.slot-storage-mib", "1024");
        properties.put("gridledger.agent.heartbeat-interval", "2s");
        // Each org's node exchange is its gateway (NODE-EXCHANGE.md "Finding the gateway"); every job's client is Org1.
        properties.put("gridledger.agent.gateways." + CLIENT_ORG, gateway(CLIENT_ORG).url());
        if (!config.mspId().equals(CLIENT_ORG)) {
            properties.put("gridledger.agent.gateways." + config.mspId(), gateway.url());
        }
        config.labels().forEach((k, v) -> properties.put("gridledger.agent.labels." + k, v));
        properties.putAll(config.extra());
        var command = new ArrayList<String>(List.of("-Xmx256m"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", repository().resolve("provider-agent/target/gridledger-agent.jar").toString()));
        Path log = root.resolve(config.offerId() + "-" + System.nanoTime() + ".log");
        var process = ChildProcess.start("agent-" + config.offerId(), ChildProcess.java(command.toArray(String[]::new)),
                Map.of("LC_ALL", "C.UTF-8"), log);
        awaitHealth(process, port, "\"status\":\"UP\"");
        var agent = new AgentProcess(config, process, port);
        org.awaitility.Awaitility.await("agent " + config.offerId() + " online").atMost(Duration.ofSeconds(60))
                .until(() -> process.logged("online: offer"));
        return agent;
    }

    static Ledger client(String mspId) {
        return TestLedgers.of(mspId);
    }

    /** A running agent. */
    record AgentProcess(AgentConfig config, ChildProcess process, int port) {

        String metrics() throws IOException, InterruptedException {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        /** Resident memory of the agent's JVM, from /proc. */
        long rssKiB() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }
    }

    // --- jobs ---

    /**
     * Puts dockerd's busybox image into Podman with the same id (saved from dockerd, loaded into Podman: the id is the
     * digest of the image's config, which the archive keeps), so one job can run on nodes of either engine. An
     * import on each engine gives two ids: a job pins one.
     */
    static synchronized void shareImageWithPodman() {
        String id = busyboxImage().substring(busyboxImage().indexOf('@') + 1);
        String podman = "unix://" + Engines.socket("podman");
        try {
            Path archive = Files.createTempFile("busybox-", ".tar");
            try {
                exec("/usr/bin/docker", "save", "-o", archive.toString(), id);
                exec("podman", "--url", podman, "load", "-i", archive.toString());
                exec("podman", "--url", podman, "image", "exists", id);
            } finally {
                Files.deleteIfExists(archive);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void exec(String... command) throws IOException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The local busybox image, pinned by its id as a job names it ({@code name@sha256:…}). */
    static String busyboxImage() {
        return "gridledger/busybox@" + Engines.busybox("docker").digest();
    }

    /** A job of Org1's User1 running {@code script} in busybox, on offers carrying {@code labels}. */
    static JobSpec job(String jobId, String script, long memoryMiB, long timeoutSeconds, List<JobSpec.InputRef> inputs,
                       Map<String, String> labels, int replicas) {
        return new JobSpec(jobId, busyboxImage(), List.of("sh", "-c", script), Map.of("GREETING", "hello"), inputs,
                new Resources(500, memoryMiB, 0, null, 64, "amd64", labels), 20, timeoutSeconds,
                replicas == 1 ? new Verification(Verification.Mode.SINGLE, 1, 1, null, null)
                        : Verification.replicated(replicas, replicas), 0, Instant.now().getEpochSecond() + 3_600);
    }

    // --- plumbing ---

    private static void awaitHealth(ChildProcess process, int port, String expected) {
        var http = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
        org.awaitility.Awaitility.await(process.log() + " healthy").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("exited\n" + process.logTail());
                    }
                    return http.send(request, HttpResponse.BodyHandlers.ofString()).body().contains(expected);
                });
    }

    static Path repository() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("provider-agent")) && Files.isDirectory(dir.resolve("chaincode"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the repository");
    }
}
