package io.gridledger.gateway.bench;

import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.gateway.testkit.TestKafka;
import io.gridledger.ledger.testkit.TestLedgers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.gridledger.gateway.testkit.Fixtures.id;
import static io.gridledger.gateway.testkit.Fixtures.job;
import static io.gridledger.gateway.testkit.Fixtures.offer;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static io.gridledger.ledger.testkit.LocalConsortium.account;

/**
 * Assignment dispatch latency at low load, and the gateway's resident memory: not a test (it measures).
 *
 * <p>The gateway under measurement is the runnable jar ({@code target/gridledger-gateway.jar}) in its own JVM, as
 * Org2's gateway with dispatch on and housekeeping off, over the local consortium (devnet and per-org chaincode
 * servers) and the embedded Kafka broker of this JVM. The benchmark is Org1's client and its matcher: one job at a
 * time it submits a job and matches it onto Org2's and Org3's offers, notes when {@code MatchJobs}'s commit status
 * returned (the block committed), and a consumer of Org2's assignments topic notes when the record arrived and the
 * record's own timestamp (the gateway's producer stamps it at send). Figures:
 *
 * <ul>
 *   <li>commit → record: commit status returned → the record's producer timestamp (what the gateway adds)</li>
 *   <li>commit → consumer: commit status returned → the record polled by a consumer (1 ms resolution)</li>
 *   <li>event → ack: the gateway's own {@code gridledger.dispatch.lag} (event arrival → broker acknowledgement)</li>
 *   <li>RSS: the gateway process's VmRSS and VmHWM from /proc after the run</li>
 * </ul>
 *
 * <pre>
 * mvn -B -ntp -Pgateway-bench -DskipTests -pl gateway-service -am package [-Dgateway.bench.args="--jobs 300 --pause-ms 100"]
 * </pre>
 */
public final class DispatchBenchmark {

    private static final String ORG1 = "Org1MSP";
    private static final String ORG2 = "Org2MSP";
    private static final String ORG3 = "Org3MSP";
    private static final String TOPIC = "bench.Org2MSP.assignments";
    private static final java.util.concurrent.atomic.AtomicBoolean STOP = new java.util.concurrent.atomic.AtomicBoolean();

    public static void main(String[] args) {
        try {
            measure(args);
        } catch (Exception | Error e) {
            // The embedded broker's threads would keep the JVM (and Maven) up: exit, so the shutdown hooks stop devnet,
            // the chaincode servers and the gateway.
            System.err.println("the dispatch benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void measure(String[] args) throws Exception {
        int jobs = intOption(args, "--jobs", 200);
        int warmup = intOption(args, "--warmup", 30);
        long pauseMs = intOption(args, "--pause-ms", 100);
        var out = Path.of(stringOption(args, "--out", "target/bench/dispatch.md"));

        var consortium = LocalConsortium.shared();
        var kafka = TestKafka.shared();
        var client = TestLedgers.of(ORG1);
        client.deposit("Admin", account(ORG1, "User1"), 1_000_000_000L);
        var labels = pool("bench");
        int slots = jobs + warmup + 10;
        for (var org : List.of(ORG2, ORG3)) {
            var provider = TestLedgers.of(org);
            provider.deposit("Admin", account(org, "node1"), LocalConsortium.MIN_STAKE * slots + 1_000);
            provider.publishOffer("node1", offer(id("offer", "bench-" + org), org.equals(ORG2) ? 10 : 11, slots, labels));
        }

        var gateway = startGateway(consortium, kafka.bootstrapServers());
        var arrived = new ConcurrentHashMap<String, long[]>();
        var consumer = startConsumer(kafka.bootstrapServers(), arrived);
        try {
            var commitTimes = new ConcurrentHashMap<String, Long>();
            System.out.printf("warm-up: %d jobs%n", warmup);
            run(client, labels, "bench-warm", warmup, pauseMs, new ConcurrentHashMap<>(), arrived);
            arrived.clear();
            System.out.printf("measuring: %d jobs, one at a time, %d ms apart%n", jobs, pauseMs);
            var submitToCommit = run(client, labels, "bench", jobs, pauseMs, commitTimes, arrived);

            var toRecord = new ArrayList<Long>();
            var toConsumer = new ArrayList<Long>();
            for (var entry : commitTimes.entrySet()) {
                var seen = arrived.get(entry.getKey());
                toRecord.add(seen[0] - entry.getValue());
                toConsumer.add(seen[1] - entry.getValue());
            }
            var metrics = scrape(gateway.port);
            var rss = memory(gateway.process.pid());
            var report = report(jobs, pauseMs, submitToCommit, toRecord, toConsumer, metrics, rss);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
            System.out.println(report);
            System.out.println("written to " + out.toAbsolutePath());
        } finally {
            STOP.set(true);
            consumer.join(5_000);
            gateway.process.destroy();
            gateway.process.waitFor(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** Submits and matches {@code count} jobs one at a time; returns MatchJobs' submit→commit times. */
    private static List<Long> run(Ledger client, Map<String, String> labels, String test, int count, long pauseMs,
                                  Map<String, Long> commitTimes, Map<String, long[]> arrived) throws InterruptedException {
        var submitToCommit = new ArrayList<Long>();
        for (int i = 0; i < count; i++) {
            var jobId = id("job", test + "-" + i);
            client.submitJob("User1", job(jobId, 600, labels));
            long started = System.currentTimeMillis();
            var matched = client.matchJobs("User1", List.of(jobId), List.of());
            long committed = System.currentTimeMillis();
            submitToCommit.add(committed - started);
            var mine = matched.value().assignments().stream().filter(a -> a.nodeOrg().equals(ORG2)).findFirst().orElseThrow();
            commitTimes.put(mine.dispatchKey(), committed);
            var deadline = Instant.now().plusSeconds(30);
            while (!arrived.containsKey(mine.dispatchKey())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("no record for " + mine.dispatchKey() + " within 30 s");
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
            TimeUnit.MILLISECONDS.sleep(pauseMs);
        }
        return submitToCommit;
    }

    private record Gateway(Process process, int port) {
    }

    private static Gateway startGateway(LocalConsortium consortium, String bootstrapServers) throws Exception {
        var jar = Path.of("target/gridledger-gateway.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the benchmark after `package`");
        }
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var org = consortium.org(ORG2);
        var checkpoint = Files.createTempDirectory("gridledger-bench-").resolve("checkpoint.json");
        var log = Path.of("target/bench/gateway.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        var env = builder.environment();
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        env.put("GRIDLEDGER_FABRIC_MSP_ID", ORG2);
        env.put("GRIDLEDGER_FABRIC_PEER_ENDPOINT", org.peerEndpoint());
        env.put("GRIDLEDGER_FABRIC_USERS_DIR", org.usersDir().toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("GRIDLEDGER_DISPATCH_CHECKPOINT_FILE", checkpoint.toString());
        env.put("GRIDLEDGER_DISPATCH_ASSIGNMENTS_TOPIC", TOPIC);
        env.put("GRIDLEDGER_DISPATCH_JOB_EVENTS_TOPIC", "bench.Org2MSP.job-events");
        env.put("GRIDLEDGER_HOUSEKEEPING_ENABLED", "false");
        var process = builder.start();
        var http = HttpClient.newHttpClient();
        var deadline = Instant.now().plusSeconds(60);
        while (true) {
            try {
                var health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.body().contains("\"dispatch\"") && health.body().contains("\"checkpointBlock\"")) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the gateway did not start; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        System.out.printf("gateway (pid %d) up on port %d; log %s%n", process.pid(), port, log);
        return new Gateway(process, port);
    }

    /** A consumer of Org2's assignments topic that notes, per dispatch key, the record's timestamp and when it arrived. */
    private static Thread startConsumer(String bootstrapServers, Map<String, long[]> arrived) {
        var keyPattern = Pattern.compile("\"dispatchKey\":\"([^\"]+)\"");
        var thread = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                var partition = new TopicPartition(TOPIC, 0);
                while (consumer.partitionsFor(TOPIC, Duration.ofSeconds(5)).isEmpty()) {
                    Thread.onSpinWait();
                }
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (!STOP.get()) {
                    for (var record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        var matcher = keyPattern.matcher(new String(record.value(), StandardCharsets.UTF_8));
                        if (matcher.find()) {
                            arrived.putIfAbsent(matcher.group(1), new long[] {record.timestamp(), now});
                        }
                    }
                }
            }
        }, "bench-consumer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String scrape(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** VmRSS and VmHWM of a process, in MiB. */
    private static long[] memory(long pid) throws IOException {
        long rss = 0;
        long hwm = 0;
        for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            } else if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return new long[] {rss, hwm};
    }

    private static String report(int jobs, long pauseMs, List<Long> submitToCommit, List<Long> toRecord,
                                 List<Long> toConsumer, String metrics, long[] rss) {
        var lag = histogram(metrics, "gridledger_dispatch_lag_seconds", "kind=\"assignment\"");
        return String.format(Locale.ROOT, """
                ## Assignment dispatch (%s, %d jobs one at a time, %d ms apart; %d cores, JDK %s)

                | measure | p50 ms | p99 ms | max ms |
                | --- | --- | --- | --- |
                | MatchJobs submit → commit status (context) | %s | %s | %s |
                | commit status → Kafka record (producer timestamp) | %s | %s | %s |
                | commit status → record polled by a consumer | %s | %s | %s |
                | gateway: event arrival → broker ack (histogram buckets) | %s | %s | |

                Gateway resident memory after the run (java -Xmx256m -jar gridledger-gateway.jar): VmRSS %d MiB, peak (VmHWM) %d MiB.
                """, Instant.now().toString().substring(0, 10), jobs, pauseMs, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                p(submitToCommit, 50), p(submitToCommit, 99), p(submitToCommit, 100),
                p(toRecord, 50), p(toRecord, 99), p(toRecord, 100),
                p(toConsumer, 50), p(toConsumer, 99), p(toConsumer, 100),
                lag[0], lag[1], rss[0], rss[1]);
    }

    private static String p(List<Long> values, int percentile) {
        var sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return "-";
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return Long.toString(sorted[Math.max(0, Math.min(sorted.length - 1, index))]);
    }

    /** p50 and p99 upper bounds (ms) from a Prometheus histogram's cumulative buckets. */
    private static String[] histogram(String metrics, String name, String label) {
        var buckets = new ArrayList<double[]>();
        var pattern = Pattern.compile(Pattern.quote(name) + "_bucket\\{" + Pattern.quote(label) + ",le=\"([^\"]+)\"} ([0-9.eE+]+)");
        for (var line : metrics.split("\n")) {
            var m = pattern.matcher(line);
            if (m.find() && !m.group(1).equals("+Inf")) {
                buckets.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
            }
        }
        if (buckets.isEmpty()) {
            return new String[] {"-", "-"};
        }
        double total = buckets.get(buckets.size() - 1)[1];
        return Arrays.stream(new double[] {0.5, 0.99}).mapToObj(q -> {
            for (var b : buckets) {
                if (b[1] >= q * total) {
                    return "≤ " + String.format(Locale.ROOT, "%.1f", b[0] * 1000);
                }
            }
            return "-";
        }).toArray(String[]::new);
    }

    private static int intOption(String[] args, String name, int fallback) {
        var value = stringOption(args, name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
