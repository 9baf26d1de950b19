package io.gridledger.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridledger.cli.GatewayClient;
import io.gridledger.consortium.JobImage;
import io.gridledger.consortium.LocalStack;
import io.gridledger.consortium.Progress;
import io.gridledger.consortium.StackSettings;
import io.gridledger.e2e.E2eStack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The local consortium's figures (issue 11), on the stack exactly as {@code ./gridledger up} starts it:
 * <ol>
 *   <li>time to ready: a new data folder (first start: genesis, tokens, deposits) and a restart on it (resume);</li>
 *   <li>submit → settled of a no-op job, p50/p99 for r = 1 and r = 3, one job at a time, broken down by stage from
 *   Org1's event stream ({@code GET /api/v1/events}, the arrival time of each ledger event and agent step);</li>
 *   <li>jobs completed per minute at saturation (r = 1, many in flight, every slot of every agent busy);</li>
 *   <li>CPU seconds per component per 100 jobs of that phase ({@code /proc/PID/stat}) and each component's peak
 *   resident memory ({@code VmHWM}).</li>
 * </ol>
 *
 * <pre>
 * mvn -B -ntp -Pconsortium-bench -DskipTests -pl tests -am package [-Dconsortium.bench.args="--jobs 20 --saturation 60"]
 * </pre>
 * Results: {@code tests/target/bench/consortium.md}.
 */
public final class ConsortiumBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CLOCK_TICKS = 100;

    private final Map<String, Map<String, Long>> arrivals = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> settled = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int jobs = 20;
        int saturation = 60;
        int portOffset = 500;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--saturation" -> saturation = Integer.parseInt(args[++i]);
                case "--port-offset" -> portOffset = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--jobs N, --saturation N, --port-offset N)");
            }
        }
        try {
            new ConsortiumBenchmark().run(jobs, saturation, portOffset);
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void run(int jobs, int saturation, int portOffset) throws Exception {
        var repository = E2eStack.repository();
        var out = repository.resolve("tests/target/bench");
        var dataDir = out.resolve("stack");
        E2eStack.deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        var socket = "unix:///var/run/docker.sock";
        var settings = new StackSettings(repository, dataDir, 3, 3, portOffset, 2, socket, JobImage.detect(repository, socket),
                "100ms", false);
        var report = new StringBuilder("# Local consortium figures\n\n").append("Measured ").append(Instant.now())
                .append(" on this machine (").append(Runtime.getRuntime().availableProcessors()).append(" cores); ")
                .append("3 orgs, an agent per org on dockerd (2 slots each), devnet batch timeout 100 ms.\n\n");

        long started = System.nanoTime();
        var first = LocalStack.start(settings, Progress.silent());
        double newFolder = seconds(started);
        first.close();
        started = System.nanoTime();
        try (var stack = LocalStack.start(settings, Progress.silent())) {
            double resume = seconds(started);
            report.append("## Time to ready\n\n| start | seconds |\n|---|---|\n")
                    .append(String.format("| a new data folder (genesis, tokens, deposits) | %.1f |%n", newFolder))
                    .append(String.format("| again on it (resume) | %.1f |%n%n", resume));
            System.out.printf("ready: new folder %.1f s, resume %.1f s%n", newFolder, resume);

            var client = new GatewayClient(URI.create(stack.gatewayUrl("Org1MSP")), stack.partnerToken("Org1MSP"));
            follow(client);
            var image = settings.jobImage();
            report.append("## Submit → settled, one no-op job at a time\n\n")
                    .append("Stages from the arrival of Org1's events: **ledger** = POST /jobs → `JobSubmitted`; **match** → "
                            + "`JobsMatched`; **dispatch** → the last replica's agent `accepted`; **container** → the last "
                            + "`uploading` (inputs, container run); **upload + commit** → the last `ResultCommitted`; "
                            + "**reveal** → the last `ResultRevealed`; **settlement** → `JobCompleted`.\n\n");
            for (int replicas : new int[] {1, 3}) {
                runOne(client, image, replicas); // warm-up
                var samples = new ArrayList<Map<String, Long>>();
                for (int i = 0; i < jobs; i++) {
                    samples.add(runOne(client, image, replicas));
                }
                report.append(latencyTable(replicas, samples));
            }

            var before = cpuTicks(stack);
            long satStart = System.nanoTime();
            var pool = Executors.newFixedThreadPool(8);
            var ids = new ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < saturation; i++) {
                ids.add(pool.submit(() -> submit(client, image, 1)));
            }
            for (var id : ids) {
                var jobId = id.get();
                if (!settled.get(jobId).await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException(jobId + " did not settle");
                }
            }
            pool.shutdown();
            double satSeconds = seconds(satStart);
            var after = cpuTicks(stack);
            report.append(String.format("## Saturation%n%n%d no-op jobs (r = 1) submitted by 8 threads at once: all settled in "
                    + "%.1f s, **%.0f jobs per minute** (6 slots: 3 agents × 2).%n%n", saturation, satSeconds,
                    saturation / satSeconds * 60));
            report.append(resourceTable(stack, before, after, saturation));
            System.out.printf("saturation: %d jobs in %.1f s%n", saturation, satSeconds);
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("consortium.md"), report);
        System.out.println(report);
    }

    /** Submits one job and waits for its JobCompleted; its stages' times (ms since submission). */
    private Map<String, Long> runOne(GatewayClient client, String image, int replicas) throws Exception {
        var jobId = submit(client, image, replicas);
        if (!settled.get(jobId).await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(jobId + " did not settle within 5 minutes: " + arrivals.get(jobId));
        }
        return arrivals.get(jobId);
    }

    private String submit(GatewayClient client, String image, int replicas) {
        var spec = new LinkedHashMap<String, Object>();
        spec.put("image", image);
        spec.put("command", List.of("sh", "-c", "echo done > /output/done"));
        spec.put("resources", Map.of("cpuMillis", 500, "memoryMiB", 64, "storageMiB", 16, "arch", "amd64"));
        spec.put("maxUnitPrice", 2000);
        spec.put("timeoutSeconds", 60);
        spec.put("verification", replicas == 1 ? Map.of("mode", "SINGLE", "replicas", 1, "quorum", 1)
                : Map.of("mode", "REPLICATED", "replicas", replicas, "quorum", 2));
        spec.put("deadline", Instant.now().getEpochSecond() + 3_600);
        long t0 = System.nanoTime();
        var answer = client.post("/jobs", spec, "bench-" + UUID.randomUUID());
        var jobId = answer.path("jobId").asText();
        var times = arrivals.computeIfAbsent(jobId, id -> new ConcurrentHashMap<>());
        times.put("t0", t0);
        times.put("posted", System.nanoTime());
        settled.computeIfAbsent(jobId, id -> new CountDownLatch(1));
        return jobId;
    }

    /** Org1's partner event stream: the first arrival of each event per job (replica steps: the last replica's). */
    private void follow(GatewayClient client) {
        var thread = new Thread(() -> {
            try {
                var response = client.events("/events", null);
                try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            record(JSON.readTree(line.substring(5).trim()), System.nanoTime());
                        }
                    }
                }
            } catch (IOException e) {
                System.err.println("event stream ended: " + e);
            }
        }, "bench-events");
        thread.setDaemon(true);
        thread.start();
    }

    private void record(JsonNode event, long now) {
        var jobId = event.path("jobId").asText();
        var times = arrivals.computeIfAbsent(jobId, id -> new ConcurrentHashMap<>());
        var name = event.path("event").asText();
        if (name.equals("AgentStep")) {
            times.put(event.path("step").asText(), now); // the last replica's step is the one that counts
        } else if (name.equals("ResultCommitted") || name.equals("ResultRevealed")) {
            times.put(name, now);
        } else {
            times.putIfAbsent(name, now);
        }
        if ("COMPLETED".equals(event.path("status").asText()) || "FAILED".equals(event.path("status").asText())) {
            times.putIfAbsent("JobCompleted", now);
            settled.computeIfAbsent(jobId, id -> new CountDownLatch(1)).countDown();
        }
    }

    private static final String[][] STAGES = {
            {"ledger", "t0", "JobSubmitted"}, {"match", "JobSubmitted", "JobsMatched"}, {"dispatch", "JobsMatched", "accepted"},
            {"container", "accepted", "uploading"}, {"upload + commit", "uploading", "ResultCommitted"},
            {"reveal", "ResultCommitted", "ResultRevealed"}, {"settlement", "ResultRevealed", "JobCompleted"},
            {"**total**", "t0", "JobCompleted"}};

    private static String latencyTable(int replicas, List<Map<String, Long>> samples) {
        var text = new StringBuilder(String.format("### r = %d (%d jobs)%n%n| stage | p50 ms | p99 ms |%n|---|---|---|%n",
                replicas, samples.size()));
        for (var stage : STAGES) {
            var values = new ArrayList<Long>();
            for (var sample : samples) {
                if (sample.containsKey(stage[1]) && sample.containsKey(stage[2])) {
                    values.add(Math.max(0, (sample.get(stage[2]) - sample.get(stage[1])) / 1_000_000));
                }
            }
            values.sort(Comparator.naturalOrder());
            text.append(String.format("| %s | %s | %s |%n", stage[0], percentile(values, 50), percentile(values, 99)));
        }
        return text.append('\n').toString();
    }

    private static String percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return "–";
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return Long.toString(sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))));
    }

    /** utime + stime of every part's process, and of the container engine (dockerd, containerd), in clock ticks. */
    private static Map<String, Long> cpuTicks(LocalStack stack) throws IOException {
        var ticks = new TreeMap<String, Long>();
        for (var entry : stack.parts().entrySet()) {
            ticks.put(entry.getKey(), ticksOf(entry.getValue().pid()));
        }
        for (var engine : engineProcesses()) {
            ticks.put("engine-" + engine.pid(), ticksOf(engine.pid()));
        }
        return ticks;
    }

    private static long ticksOf(long pid) throws IOException {
        var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** dockerd and containerd (the per-container shims come and go with the jobs: not counted). */
    private static List<ProcessHandle> engineProcesses() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command()
                .map(c -> c.endsWith("/dockerd") || c.endsWith("/containerd")).orElse(false)).toList();
    }

    private static String resourceTable(LocalStack stack, Map<String, Long> before, Map<String, Long> after, int jobs)
            throws IOException {
        var byKind = new TreeMap<String, long[]>();
        var pids = new LinkedHashMap<String, Long>();
        stack.parts().forEach((name, part) -> pids.put(name, part.pid()));
        engineProcesses().forEach(p -> pids.put("engine-" + p.pid(), p.pid()));
        for (var entry : pids.entrySet()) {
            if (!before.containsKey(entry.getKey()) || !after.containsKey(entry.getKey())) {
                continue;
            }
            var kind = entry.getKey().replaceAll("-org\\d+$", "").replaceAll("^engine-\\d+$", "container engine (dockerd, containerd)");
            var totals = byKind.computeIfAbsent(kind, k -> new long[3]);
            totals[0] += after.get(entry.getKey()) - before.get(entry.getKey());
            totals[1] = Math.max(totals[1], peakRssKiB(entry.getValue()));
            totals[2]++;
        }
        var text = new StringBuilder("## CPU and memory per component\n\nCPU seconds per 100 jobs of the saturation phase "
                + "(all processes of the kind together), and the largest peak resident memory of one of them.\n\n"
                + "| component | processes | CPU s / 100 jobs | peak RSS MiB (one) |\n|---|---|---|---|\n");
        byKind.forEach((kind, totals) -> text.append(String.format("| %s | %d | %.1f | %d |%n", kind, totals[2],
                totals[0] / (double) CLOCK_TICKS * 100 / jobs, totals[1] / 1024)));
        return text.append('\n').toString();
    }

    private static long peakRssKiB(long pid) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
