package io.gridledger.agent.it;

import io.gridledger.ledger.Job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The provider agent's figures (provider-agent/README.md), never part of {@code mvn verify}:
 * {@code mvn -B -ntp -Pagent-bench -DskipTests -pl provider-agent -am package [-Dagent.bench.args="--jobs 30 --upload-mib 256"]}.
 *
 * <p>On the real stack of the ITs ({@link AgentStack}: devnet, Org1's gateway — its Kafka and its node exchange in
 * front of its bucket on the embedded S3 server —, dockerd) with one agent from its jar:
 * <ul>
 *   <li><b>overhead</b>: no-op jobs ({@code true}) one after the other; the agent's run of each — from its
 *       {@code pulling} step (image checked, work folder made, container created, started, awaited, logs read,
 *       container removed, each step journalled with fsync) to its {@code uploading} step — against a bare
 *       {@code docker run --rm --network none} of the same image, alternated in the same run; median and p99, and
 *       their ratio (target ≤ 1.25×). Also accepted → committed (the whole local handling, upload and the commit
 *       transaction included);</li>
 *   <li><b>container start latency</b>: the agent's {@code gridledger_agent_container_start_seconds} (create → running);</li>
 *   <li><b>upload throughput</b>: a job writing one file of {@code --upload-mib} MiB; the agent's
 *       {@code gridledger_agent_upload_*} against a plain file copy of the same size on the same disk;</li>
 *   <li><b>resident memory</b> of the agent's JVM: idle, with {@code capacity} jobs running, and its peak (VmHWM)
 *       after the large upload — streaming means it does not grow with the output's size.</li>
 * </ul>
 * Writes {@code target/bench/agent.md}.
 */
public final class AgentBenchmark {

    private AgentBenchmark() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            measure(args);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // runs the shutdown hooks that stop the stack's child processes
    }

    private static void measure(String[] args) throws Exception {
        int jobs = intArg(args, "--jobs", 30);
        int uploadMib = intArg(args, "--upload-mib", 256);
        var stack = AgentStack.shared();
        var labels = Map.of("pool", "agent-bench-" + AgentStack.RUN);
        var agent = stack.startAgent(stack.agentConfig(AgentStack.CLIENT_ORG, "bench", labels));
        var report = new StringBuilder("# Provider agent benchmark\n\n");
        try {
            long idleRss = agent.rssKiB();

            var agentRun = new ArrayList<Long>();
            var handling = new ArrayList<Long>();
            var bare = new ArrayList<Long>();
            String imageId = AgentStack.busyboxImage().substring(AgentStack.busyboxImage().indexOf('@') + 1);
            for (int i = 0; i < jobs; i++) {
                String jobId = "bench-noop-" + i + "-" + AgentStack.RUN;
                AgentStack.client().submitJob("User1", AgentStack.job(jobId, "true", 64, 30, null, labels, 1));
                awaitCompleted(jobId);
                var at = stepTimes(stack.statuses(AgentStack.CLIENT_ORG, jobId));
                agentRun.add(at.get("uploading") - at.get("pulling"));
                handling.add(at.get("committed") - at.get("accepted"));
                long started = System.nanoTime();
                run("/usr/bin/docker", "run", "--rm", "--network", "none", imageId, "true");
                bare.add((System.nanoTime() - started) / 1_000_000);
            }
            long rssAfterJobs = agent.rssKiB();

            // capacity jobs at once
            var busy = new ArrayList<String>();
            for (int i = 0; i < agent.config().capacity(); i++) {
                String jobId = "bench-busy-" + i + "-" + AgentStack.RUN;
                busy.add(jobId);
                AgentStack.client().submitJob("User1", AgentStack.job(jobId, "sleep 8", 64, 30, null, labels, 1));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> busy.stream()
                    .allMatch(j -> stack.steps(AgentStack.CLIENT_ORG, j).contains("running")));
            long busyRss = agent.rssKiB();
            busy.forEach(AgentBenchmark::awaitCompleted);

            // one large output
            String large = "bench-upload-" + AgentStack.RUN;
            AgentStack.client().submitJob("User1", AgentStack.job(large, "dd if=/dev/urandom of=/output/big bs=1048576 count="
                    + uploadMib + " 2>/dev/null", 128, 300, null, labels, 1));
            awaitCompleted(large);
            String metrics = agent.metrics();
            double uploadBytes = metric(metrics, "gridledger_agent_upload_bytes_total");
            double uploadSeconds = metric(metrics, "gridledger_agent_upload_seconds_sum");
            double startCount = metric(metrics, "gridledger_agent_container_start_seconds_count");
            double startSum = metric(metrics, "gridledger_agent_container_start_seconds_sum");
            double startMax = metric(metrics, "gridledger_agent_container_start_seconds_max");
            long peakRss = peakKiB(agent);
            double copyMibPerSecond = plainCopy(stack.root, uploadMib);

            report.append("Measured with ").append(jobs).append(" no-op jobs, dockerd, JDK ")
                    .append(System.getProperty("java.version")).append(", agent `-Xmx256m` (C1 only, as the ITs run it).\n\n")
                    .append("| what | median | p99 |\n| --- | --- | --- |\n")
                    .append(row("agent run of a no-op job (pulling → uploading)", agentRun))
                    .append(row("bare `docker run --rm --network none` of the same image", bare))
                    .append(String.format("| ratio agent / bare | %.2f× | %.2f× |%n", ratio(agentRun, bare, 50),
                            ratio(agentRun, bare, 99)))
                    .append(row("accepted → committed (upload and commit transaction included)", handling))
                    .append("\n| what | figure |\n| --- | --- |\n")
                    .append(String.format("| container start latency, create → running (mean / max of %.0f) | %.0f / %.0f ms |%n",
                            startCount, startSum / startCount * 1000, startMax * 1000))
                    .append(String.format("| upload through the node exchange to the embedded S3 server (%d MiB file + logs) | %.1f MiB/s |%n",
                            uploadMib, uploadBytes / (1 << 20) / uploadSeconds))
                    .append(String.format("| plain file copy of %d MiB on the same disk | %.1f MiB/s |%n", uploadMib,
                            copyMibPerSecond))
                    .append(String.format("| agent RSS idle / after the no-op jobs / with %d jobs running | %d / %d / %d MiB |%n",
                            agent.config().capacity(), idleRss / 1024, rssAfterJobs / 1024, busyRss / 1024))
                    .append(String.format("| agent peak RSS (VmHWM) after the %d MiB upload | %d MiB |%n", uploadMib,
                            peakRss / 1024));
        } finally {
            agent.process().stop();
        }
        Path out = Path.of("target/bench/agent.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    private static void awaitCompleted(String jobId) {
        await(jobId).atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var job = AgentStack.client().getJob("User1", jobId).job();
            if (job.isFinished() && job.status() != Job.Status.COMPLETED) {
                throw new IllegalStateException(jobId + " ended " + job.status());
            }
            return job.status() == Job.Status.COMPLETED;
        });
    }

    private static final Pattern STEP = Pattern.compile("\"step\":\"([a-z]+)\"");
    private static final Pattern AT = Pattern.compile("\"at\":([0-9]+)");

    private static Map<String, Long> stepTimes(List<String> records) {
        var times = new java.util.HashMap<String, Long>();
        for (String record : records) {
            Matcher step = STEP.matcher(record);
            Matcher at = AT.matcher(record);
            if (step.find() && at.find()) {
                times.putIfAbsent(step.group(1), Long.parseLong(at.group(1)));
            }
        }
        return times;
    }

    private static double metric(String prometheus, String name) {
        return prometheus.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long peakKiB(AgentStack.AgentProcess agent) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + agent.process().pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static double plainCopy(Path dir, int mib) throws IOException {
        Path source = dir.resolve("copy-source");
        Path target = dir.resolve("copy-target");
        var random = new java.util.Random(1);
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(source)) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        long started = System.nanoTime();
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.delete(source);
        Files.delete(target);
        return mib / seconds;
    }

    private static String row(String what, List<Long> millis) {
        return String.format("| %s | %d ms | %d ms |%n", what, percentile(millis, 50), percentile(millis, 99));
    }

    private static double ratio(List<Long> a, List<Long> b, int p) {
        return (double) percentile(a, p) / percentile(b, p);
    }

    private static long percentile(List<Long> values, int p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void run(String... command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(Arrays.toString(command) + ": " + out);
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
