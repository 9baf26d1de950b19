package io.gridledger.gateway.api;

import io.gridledger.ledger.testkit.LocalConsortium;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Job submissions through the partner REST API to committed, against the local consortium: the gateway runs as its
 * own process from the shaded jar with a bounded heap (as in a 512 MiB container), and this measures its throughput,
 * submit latency (202 = SubmitJob committed), CPU per 1,000 submissions (/proc/&lt;pid&gt;/stat) and resident memory
 * (VmRSS sampled, VmHWM). Not a test: {@code mvn -B -ntp -Papi-bench -DskipTests -pl gateway-service -am package
 * [-Dapi-bench.args="--jobs 1000 --concurrency 16 --heap 256m"]}; the table goes to stdout and
 * {@code gateway-service/target/api-bench/result.md}.
 */
public final class ApiBenchmark {

    private static final String ADMIN_TOKEN = "api-benchmark-bootstrap-admin-token-0123456789";
    private static final String ORG = "Org1MSP";

    private ApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = intArg(args, "--jobs", 1000);
        int concurrency = intArg(args, "--concurrency", 16);
        int warmup = intArg(args, "--warmup", 200);
        var heap = stringArg(args, "--heap", "256m");
        var consortium = LocalConsortium.shared();
        var org = consortium.org(ORG);
        var data = Files.createTempDirectory("gridledger-api-bench-");
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var jar = Path.of("target/gridledger-gateway.jar").toAbsolutePath();
        var command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Xss512k", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m",
                "-XX:MaxDirectMemorySize=64m", "-XX:+UseSerialGC",
                "-Dmicronaut.server.port=" + port,
                "-Dgridledger.fabric.msp-id=" + ORG, "-Dgridledger.fabric.peer-endpoint=" + org.peerEndpoint(),
                "-Dgridledger.fabric.users-dir=" + org.usersDir(),
                "-Dgridledger.api.data-dir=" + data, "-Dgridledger.api.auth.tokens-file=" + data.resolve("tokens.json"),
                "-Dgridledger.api.auth.bootstrap-admin-token=" + ADMIN_TOKEN,
                "-Dgridledger.api.rate-limit.per-second=100000", "-Dgridledger.api.rate-limit.burst=100000",
                "-Dgridledger.housekeeping.enabled=false", "-Dgridledger.dispatch.enabled=false",
                "-jar", jar.toString());
        var gateway = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(data.resolve("gateway.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::destroyForcibly));
        try {
            var base = "http://127.0.0.1:" + port;
            var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(concurrency)).build();
            var started = Instant.now();
            while (!answers(http, base + "/api/v1/openapi.yml")) {
                if (!gateway.isAlive() || Duration.between(started, Instant.now()).toSeconds() > 60) {
                    throw new IllegalStateException("the gateway did not start: " + Files.readString(data.resolve("gateway.log")));
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            var startup = Duration.between(started, Instant.now());
            var json = JsonMapper.createDefault();
            var token = json.readValue(post(http, base + "/api/v1/admin/tokens", ADMIN_TOKEN, Map.of("partnerId", "bench",
                    "identity", "User1", "scopes", List.of("jobs:read", "jobs:write"), "expiresInSeconds", 3600)).body(), JsonNode.class)
                    .get("token").getStringValue();
            var funded = post(http, base + "/api/v1/admin/deposits", ADMIN_TOKEN,
                    Map.of("accountId", LocalConsortium.account(ORG, "User1"), "amount", 1_000_000_000_000L));
            if (funded.statusCode() != 200) {
                throw new IllegalStateException("deposit failed: " + funded.body());
            }
            var job = ApiTestKit.job(Map.of("pool", "bench-" + UUID.randomUUID()));

            run(http, base, token, job, warmup, concurrency, null);
            var pid = gateway.pid();
            var rss = new RssSampler(pid);
            rss.start();
            var cpuBefore = cpuSeconds(pid);
            var result = run(http, base, token, job, jobs, concurrency, rss);
            var cpu = cpuSeconds(pid) - cpuBefore;
            rss.stop();

            var table = String.join("\n",
                    "| figure | value |",
                    "| --- | --- |",
                    "| submissions (202, committed) | " + result.ok + " of " + jobs + " (" + result.failed + " failed), concurrency " + concurrency + " |",
                    "| throughput | " + String.format("%.1f", result.ok / result.seconds) + " submissions/s |",
                    "| submit latency p50 / p99 / max | " + result.percentile(50) + " / " + result.percentile(99) + " / " + result.percentile(100) + " ms |",
                    "| gateway CPU per 1,000 submissions | " + String.format("%.1f", cpu * 1000 / Math.max(1, result.ok)) + " CPU-s |",
                    "| gateway resident memory under load (peak VmRSS, VmHWM) | " + rss.peakMiB() + " MiB, " + hwmMiB(pid) + " MiB (-Xmx" + heap + ", SerialGC) |",
                    "| gateway start to first answer | " + startup.toMillis() + " ms |",
                    "| machine | " + Runtime.getRuntime().availableProcessors() + " cores shared by devnet, 3 chaincode servers, the gateway and this client; JDK " + System.getProperty("java.version") + " |");
            System.out.println(table);
            var out = Path.of("target/api-bench");
            Files.createDirectories(out);
            Files.writeString(out.resolve("result.md"), table + "\n");
        } finally {
            gateway.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
            consortium.stop();
        }
    }

    private record Result(int ok, int failed, double seconds, List<Long> latencies) {
        long percentile(int p) {
            if (latencies.isEmpty()) {
                return 0;
            }
            var sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1 < 0 ? 0
                    : (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }
    }

    private static Result run(HttpClient http, String base, String token, Map<String, Object> job, int count, int concurrency,
                              RssSampler rss) throws Exception {
        var latencies = new ConcurrentLinkedQueue<Long>();
        var ok = new AtomicInteger();
        var failed = new AtomicInteger();
        var next = new AtomicInteger();
        var body = JsonMapper.createDefault().writeValueAsString(job);
        var pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.submit(() -> {
                while (next.getAndIncrement() < count) {
                    var request = HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs")).timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    try {
                        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 202) {
                            ok.incrementAndGet();
                            latencies.add((System.nanoTime() - t0) / 1_000_000);
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(ok.get(), failed.get(), seconds, new ArrayList<>(latencies));
    }

    private static HttpResponse<String> post(HttpClient http, String uri, String token, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(JsonMapper.createDefault().writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean answers(HttpClient http, String uri) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** utime + stime of a process, in seconds (clock ticks of 1/100 s). */
    private static double cpuSeconds(long pid) throws IOException {
        var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static long hwmMiB(long pid) throws IOException {
        return statusKiB(pid, "VmHWM:") / 1024;
    }

    private static long statusKiB(long pid, String field) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static final class RssSampler {
        private final long pid;
        private final AtomicLong peakKiB = new AtomicLong();
        private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        RssSampler(long pid) {
            this.pid = pid;
        }

        void start() {
            timer.scheduleAtFixedRate(() -> {
                try {
                    peakKiB.accumulateAndGet(statusKiB(pid, "VmRSS:"), Math::max);
                } catch (IOException e) {
                    // the process ended
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
        }

        void stop() {
            timer.shutdownNow();
        }

        long peakMiB() {
            return peakKiB.get() / 1024;
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
