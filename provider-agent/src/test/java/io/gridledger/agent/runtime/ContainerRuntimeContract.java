package io.gridledger.agent.runtime;

import io.gridledger.agent.JobKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link ContainerRuntime} must do, run against each real engine (fabric-gateway's shared contract suite
 * pattern): {@code DockerRuntimeTest} on dockerd, {@code PodmanRuntimeTest} on Podman's Docker-compatible socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerRuntimeContract {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<JobKey> used = new ArrayList<>();
    ContainerRuntime runtime;
    ImageRef image;

    /** {@code docker} or {@code podman}. */
    abstract String engine();

    @BeforeAll
    void connect() {
        runtime = Engines.connectIfRequiredOrAnswering(engine(), GpuInventory.none("no nvidia-smi on this test node"))
                .orElse(null);
        if (runtime != null) {
            image = Engines.busybox(engine());
        }
    }

    @BeforeEach
    void requireEngine() {
        Assumptions.assumeTrue(runtime != null, () -> engine() + " does not answer and GRIDLEDGER_ENGINES does not "
                + "list it: skipped");
    }

    @AfterEach
    void removeContainers() throws Exception {
        for (JobKey key : runtime == null ? List.<JobKey>of() : used) {
            runtime.removeAll(Optional.of(key));
        }
        used.clear();
    }

    @AfterAll
    void disconnect() {
        if (runtime != null) {
            runtime.close();
        }
    }

    JobKey job(String name) {
        var key = new JobKey("test-" + run + "-" + name, 0, 0);
        used.add(key);
        return key;
    }

    RunSpec.Builder spec(String name, String script) {
        return RunSpec.builder(job(name), image).command("sh", "-c", script).timeout(Duration.ofSeconds(30));
    }

    @Test
    void reports_its_engine() {
        assertThat(runtime.engine().kind()).isEqualTo(engine());
        assertThat(runtime.engine().reportsOomKilled()).isEqualTo(engine().equals("docker"));
    }

    @Test
    void runs_a_command_and_captures_stdout_stderr_and_the_exit_code() throws Exception {
        RunSpec spec = spec("exit", "echo out; echo err >&2; echo \"$GREETING\"; exit 3")
                .env("GREETING", "hello from the job").build();
        ContainerRun result = runtime.run(spec);

        assertThat(result.outcome()).isEqualTo(new Outcome.Exited(3));
        assertThat(result.logs().stdoutText()).isEqualTo("out\nhello from the job\n");
        assertThat(result.logs().stderrText()).isEqualTo("err\n");
        assertThat(result.logs().truncated()).isFalse();
        assertThat(runtime.list(Optional.of(spec.job()))).as("run removes its container").isEmpty();
    }

    @Test
    void a_missing_image_fails_at_once_naming_it_and_pulls_nothing() {
        var missing = ImageRef.parse("sha256:" + "0".repeat(64));
        long start = System.nanoTime();
        assertThatThrownBy(() -> runtime.run(RunSpec.builder(job("missing"), missing).command("true").build()))
                .isInstanceOf(ContainerRuntimeException.ImageNotFound.class)
                .hasMessageContaining(missing.reference()).hasMessageContaining("never pulled");
        assertThatThrownBy(() -> runtime.create(RunSpec.builder(job("missing-repo"),
                ImageRef.parse("registry.invalid/solver@sha256:" + "1".repeat(64))).build()))
                .isInstanceOf(ContainerRuntimeException.ImageNotFound.class)
                .hasMessageContaining("registry.invalid/solver@sha256:");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void a_command_missing_from_the_image_is_an_engine_error_or_exit_127() throws Exception {
        Outcome outcome = runtime.run(RunSpec.builder(job("nocmd"), image).command("/no/such/program").build())
                .outcome();
        assertThat(outcome).satisfiesAnyOf(
                o -> assertThat(o).isInstanceOf(Outcome.EngineError.class),
                o -> assertThat(o).isEqualTo(new Outcome.Exited(127)));
    }

    @Test
    void memory_beyond_the_limit_is_out_of_memory_not_an_exit_code() throws Exception {
        ContainerRun result = runtime.run(spec("oom", "a=$(head -c 100000000 /dev/zero | tr '\\0' a); echo survived")
                .limits(Limits.of(500, 24, 64)).build());

        assertThat(result.outcome()).isInstanceOfSatisfying(Outcome.OutOfMemory.class,
                oom -> assertThat(oom.limitBytes()).isEqualTo(24L * 1024 * 1024));
        assertThat(result.logs().stdoutText()).doesNotContain("survived");
        System.out.printf("%s: out-of-memory evidence: %s%n", engine(),
                ((Outcome.OutOfMemory) result.outcome()).evidence());
    }

    @Test
    void a_job_killed_by_sigkill_well_under_its_limit_is_not_out_of_memory() throws Exception {
        // The shell is the container's pid 1, which SIGKILL from inside cannot kill: a child is killed instead and
        // the shell exits with its status, 137, as a job that died of SIGKILL does.
        ContainerRun result = runtime.run(spec("sigkill", "sleep 60 & kill -9 $!; wait $!")
                .limits(Limits.of(500, 64, 64)).build());
        assertThat(result.outcome()).isEqualTo(new Outcome.Exited(137));
    }

    @Test
    void the_wall_clock_limit_kills_the_container() throws Exception {
        long start = System.nanoTime();
        ContainerRun result = runtime.run(spec("timeout", "echo started; sleep 60").timeout(Duration.ofSeconds(1))
                .build());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.outcome()).isEqualTo(new Outcome.TimedOut(Duration.ofSeconds(1)));
        assertThat(result.logs().stdoutText()).isEqualTo("started\n");
        assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    @Test
    void the_deadline_counts_from_the_containers_start_so_a_restarted_agent_keeps_it() throws Exception {
        RunSpec spec = spec("deadline", "sleep 60").timeout(Duration.ofSeconds(3)).build();
        ContainerId id = runtime.create(spec);
        runtime.start(id);
        long started = System.nanoTime();
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);

        Outcome outcome = runtime.await(id, spec.timeout());
        Duration total = Duration.ofNanos(System.nanoTime() - started);
        assertThat(outcome).isInstanceOf(Outcome.TimedOut.class);
        assertThat(total).as("killed about 3 s after start, not 3 s after await began").isLessThan(Duration.ofMillis(4300));
    }

    @Test
    void the_container_has_no_network() throws Exception {
        // A service on the host's loopback: a container on the host's network would reach it; this one must not.
        try (var hostService = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            ContainerRun result = runtime.run(spec("net", "ls /sys/class/net; echo routes:; tail -n +2 /proc/net/route; "
                    + "nc -w 1 127.0.0.1 " + hostService.getLocalPort() + " </dev/null && echo reached || echo unreachable")
                    .build());

            assertThat(result.outcome()).isEqualTo(new Outcome.Exited(0));
            assertThat(result.logs().stdoutText()).isEqualTo("lo\nroutes:\nunreachable\n");
        }
    }

    @Test
    void the_root_file_system_is_read_only_and_only_the_scratch_and_output_folders_are_writable(
            @TempDir Path host) throws Exception {
        Path input = Files.createDirectories(host.resolve("input"));
        Path output = Files.createDirectories(host.resolve("output"));
        Path scratch = Files.createDirectories(host.resolve("scratch"));
        Files.writeString(input.resolve("data.txt"), "42\n");

        ContainerRun result = runtime.run(spec("fs", "touch /rootfs-file 2>/dev/null && echo rootfs-writable; "
                + "touch /input/new 2>/dev/null && echo input-writable; "
                + "echo scratch > /scratch/tmp && cat /input/data.txt /scratch/tmp > /output/result && "
                + "echo tmp > /tmp/x && echo done")
                .mount(Mount.readOnly(input, "/input"))
                .mount(Mount.writable(output, "/output"))
                .mount(Mount.writable(scratch, "/scratch"))
                .build());

        assertThat(result.outcome()).isEqualTo(new Outcome.Exited(0));
        assertThat(result.logs().stdoutText()).isEqualTo("done\n");
        assertThat(Files.readString(output.resolve("result"))).isEqualTo("42\nscratch\n");
        try (var files = Files.list(input)) {
            assertThat(files).containsExactly(input.resolve("data.txt"));
        }
    }

    @Test
    void runs_as_nobody_unless_the_job_asks_for_the_images_user() throws Exception {
        assertThat(runtime.run(spec("nobody", "id -u; id -g").build()).logs().stdoutText()).isEqualTo("65534\n65534\n");
        assertThat(runtime.run(spec("imageuser", "id -u").imageUser().build()).logs().stdoutText()).isEqualTo("0\n");
        assertThat(runtime.run(spec("caps", "grep CapEff /proc/self/status").imageUser().build()).logs().stdoutText())
                .as("even the image's root has no capabilities").contains("0000000000000000");
    }

    @Test
    void cpu_memory_and_pids_limits_are_set_on_the_containers_cgroup() throws Exception {
        String script = "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max; "
                + "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; "
                + "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max";
        ContainerRun result = runtime.run(spec("limits", script).limits(Limits.of(250, 48, 20)).build());

        assertThat(result.logs().stdoutText()).isEqualTo("25000\n" + 48L * 1024 * 1024 + "\n20\n");
    }

    @Test
    void the_pids_limit_stops_a_fork_bomb() throws Exception {
        ContainerRun result = runtime.run(spec("pids", "n=0; while [ $n -lt 40 ]; do sleep 5 & n=$((n+1)); done; "
                + "echo spawned $n").limits(Limits.of(500, 64, 10)).timeout(Duration.ofSeconds(20)).build());

        assertThat(result.logs().stdoutText()).doesNotContain("spawned 40");
        assertThat(result.logs().stderrText()).containsIgnoringCase("fork");
    }

    @Test
    void logs_are_capped_and_the_totals_say_how_much_was_dropped() throws Exception {
        ContainerRun result = runtime.run(spec("logs", "head -c 300000 /dev/zero | tr '\\0' x; echo tail >&2")
                .logCapBytes(1000).build());

        assertThat(result.outcome()).isEqualTo(new Outcome.Exited(0));
        assertThat(result.logs().stdout()).hasSize(1000).containsOnly((byte) 'x');
        assertThat(result.logs().stdoutBytes()).isEqualTo(300_000);
        assertThat(result.logs().stderrText()).isEqualTo("tail\n");
        assertThat(result.logs().truncated()).isTrue();
    }

    @Test
    void reading_stops_once_both_streams_passed_the_cap() throws Exception {
        ContainerRun result = runtime.run(spec("biglogs", "head -c 200000 /dev/zero | tr '\\0' x; "
                + "head -c 200000 /dev/zero | tr '\\0' y >&2; head -c 5000000 /dev/zero | tr '\\0' z")
                .logCapBytes(1000).build());

        assertThat(result.logs().stdout()).hasSize(1000).containsOnly((byte) 'x');
        assertThat(result.logs().stderr()).hasSize(1000).containsOnly((byte) 'y');
        assertThat(result.logs().stdoutBytes()).as("a lower bound: reading stopped").isLessThan(5_200_000);
        assertThat(result.logs().truncated()).isTrue();
    }

    @Test
    void containers_carry_their_job_labels_so_a_restarted_agent_finds_and_removes_orphans() throws Exception {
        JobKey orphan = new JobKey("test-" + run + "-orphan", 2, 1);
        used.add(orphan);
        RunSpec spec = RunSpec.builder(orphan, image).command("sleep", "60").build();
        ContainerId running = runtime.create(spec);
        runtime.start(running);
        assertThatThrownBy(() -> runtime.create(spec)).as("one container per job attempt")
                .isInstanceOf(ContainerRuntimeException.AlreadyExists.class);

        // A new connection stands for the agent after a restart: it knows nothing but the labels.
        try (ContainerRuntime restarted = Engines.connect(engine(), GpuInventory.none("test"))) {
            assertThat(restarted.list(Optional.of(orphan))).singleElement().satisfies(summary -> {
                assertThat(summary.id()).isEqualTo(running);
                assertThat(summary.job()).isEqualTo(orphan);
                assertThat(summary.running()).isTrue();
            });
            assertThat(restarted.list(Optional.empty())).extracting(ContainerSummary::job).contains(orphan);
            assertThat(restarted.list(Optional.of(new JobKey(orphan.jobId(), 2, 2)))).isEmpty();

            assertThat(restarted.removeAll(Optional.of(orphan))).isEqualTo(1);
            assertThat(restarted.list(Optional.of(orphan))).isEmpty();
        }
    }

    @Test
    void gpus_are_refused_clearly_when_the_node_has_none() {
        assertThatThrownBy(() -> runtime.create(spec("gpu", "nvidia-smi").gpus(1).build()))
                .isInstanceOf(ContainerRuntimeException.GpuUnavailable.class)
                .hasMessageContaining("asks for 1 GPU").hasMessageContaining("no nvidia-smi");
    }

    @Test
    void waiting_burns_no_cpu_in_the_agent_or_the_engine() throws Exception {
        RunSpec spec = spec("idle", "sleep 3").build();
        ContainerId id = runtime.create(spec);
        runtime.start(id);
        var threads = ManagementFactory.getThreadMXBean();
        long agentBefore = threads.getCurrentThreadCpuTime();
        double engineBefore = Engines.engineCpuSeconds(engine());

        assertThat(runtime.await(id, spec.timeout())).isEqualTo(new Outcome.Exited(0));

        double agent = (threads.getCurrentThreadCpuTime() - agentBefore) / 1e9;
        double engineCpu = Engines.engineCpuSeconds(engine()) - engineBefore;
        System.out.printf("%s: waiting 3 s cost %.3f s CPU in the waiting thread and %.2f s in the engine%n",
                engine(), agent, engineCpu);
        assertThat(agent).isLessThan(0.3);
        assertThat(engineCpu).as("podman issue 18150: /wait burns a core").isLessThan(0.9);
    }

    @Test
    void timings_are_measured() throws Exception {
        int cycles = Integer.getInteger("runtime.measure.cycles", 10);
        var startLatency = new ArrayList<Double>();
        var cycle = new ArrayList<Double>();
        for (int i = 0; i < cycles; i++) {
            long begin = System.nanoTime();
            ContainerRun result = runtime.run(RunSpec.builder(job("cycle-" + i), image).command("true").build());
            cycle.add((System.nanoTime() - begin) / 1e6);
            startLatency.add(result.startLatency().toNanos() / 1e6);
            assertThat(result.outcome()).isEqualTo(new Outcome.Exited(0));
        }
        var bare = new ArrayList<Double>();
        String cli = engine().equals("docker") ? "/usr/bin/docker" : "podman";
        if (Files.isExecutable(Path.of(cli)) || engine().equals("podman")) {
            for (int i = 0; i < cycles; i++) {
                long begin = System.nanoTime();
                var process = new ProcessBuilder(cli, "run", "--rm", "--network", "none", image.reference(), "true")
                        .redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                assertThat(process.waitFor()).isZero();
                bare.add((System.nanoTime() - begin) / 1e6);
            }
        }
        System.out.printf("%s, %d cycles: create→running median %.0f ms (p90 %.0f); create/start/wait/logs/remove "
                        + "median %.0f ms (p90 %.0f); bare `%s run --rm --network none` median %.0f ms%n",
                engine(), cycles, percentile(startLatency, 50), percentile(startLatency, 90), percentile(cycle, 50),
                percentile(cycle, 90), cli, bare.isEmpty() ? Double.NaN : percentile(bare, 50));
    }

    private static double percentile(List<Double> values, int percentile) {
        var sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
