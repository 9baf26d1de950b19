package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.NodeIdentity;
import io.gridledger.agent.config.AgentFaults;
import io.gridledger.agent.config.AgentSettings;
import io.gridledger.agent.exchange.ExchangeException;
import io.gridledger.agent.exchange.JobExchange;
import io.gridledger.agent.exchange.Transfers;
import io.gridledger.agent.journal.JobState;
import io.gridledger.agent.journal.JobStep;
import io.gridledger.agent.journal.Journal;
import io.gridledger.agent.operations.AgentMetrics;
import io.gridledger.agent.runtime.CapturedLogs;
import io.gridledger.agent.runtime.ContainerId;
import io.gridledger.agent.runtime.ContainerRuntime;
import io.gridledger.agent.runtime.ContainerRuntimeException;
import io.gridledger.agent.runtime.ContainerSummary;
import io.gridledger.agent.runtime.EngineInfo;
import io.gridledger.agent.runtime.Engines;
import io.gridledger.agent.runtime.GpuInventory;
import io.gridledger.agent.runtime.ImageRef;
import io.gridledger.agent.runtime.Outcome;
import io.gridledger.agent.runtime.RunSpec;
import io.gridledger.agent.status.NodeStatus;
import io.gridledger.agent.status.ReplicaStatus;
import io.gridledger.agent.status.StatusReporter;
import io.gridledger.agent.status.StatusSink;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.Resources;
import io.gridledger.ledger.Verification;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exception no step expects, thrown inside a job's thread on a real path: the real docker-java runtime on dockerd,
 * wrapped so that its first {@code start} throws ({@link StartFailsOnce}), with the real journal, scheduler and runner.
 * The job must fail cleanly ({@code AGENT_DEFECT} told and journalled, its container gone) and free its slot: the next
 * job of a capacity-1 agent runs. The ledger and the gateway are not on this path (no inputs; the second job's upload
 * is refused by an exchange that has no gateway behind it).
 */
class JobRunnerDefectTest {

    private static final String ORG = "Org1MSP";

    @TempDir
    Path dir;

    private final List<ReplicaStatus> statuses = new CopyOnWriteArrayList<>();
    private ContainerRuntime runtime;
    private Journal journal;
    private WorkScheduler scheduler;

    @AfterEach
    void close() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void a_defect_in_a_jobs_thread_fails_that_job_cleanly_and_frees_its_slot() throws Exception {
        runtime = new StartFailsOnce(Engines.connect("docker", GpuInventory.none("test")));
        String image = "gridledger/busybox@" + Engines.busybox("docker").digest();
        journal = Journal.open(dir.resolve("journal"));
        var settings = new AgentSettings("node1", dir.toString(), "unix:///var/run/docker.sock", "offer-1", 1, 10, 0,
                0, 0, 0, null, null, "a", "s", "n", Duration.ofSeconds(10), 10_000, 1L << 30, 1 << 20, 256, true);
        var node = new NodeIdentity("node1", ORG, "node1@" + ORG, "-----BEGIN CERTIFICATE-----");
        Ledger ledger = unreachable(Ledger.class, new UnsupportedOperationException("no ledger on this path"));
        JobExchange exchange = unreachable(JobExchange.class,
                new ExchangeException("REFUSED", 403, "no gateway in this test", null, null));
        var sink = new StatusSink() {
            @Override
            public void replica(ReplicaStatus status) {
                statuses.add(status);
            }

            @Override
            public void node(NodeStatus status) {
            }
        };
        var metrics = new AgentMetrics(new SimpleMeterRegistry());
        var runner = new JobRunner(ledger, node, runtime, journal, exchange,
                new Transfers(HttpClient.newHttpClient(), Duration.ofSeconds(5)), new StatusReporter(sink, exchange, node),
                settings, AgentFaults.none(), metrics, new SecureRandom(), Clock.systemUTC());
        scheduler = new WorkScheduler(runner, new RevealWatcher(ledger, node, runner), metrics, settings);

        var broken = job("defect-" + System.nanoTime(), image);
        var next = job("next-" + System.nanoTime(), image);
        scheduler.submit(broken);
        scheduler.submit(next);

        await("the broken job fails").atMost(Duration.ofSeconds(60)).until(() -> failed(broken.key()).isPresent());
        var failure = failed(broken.key()).orElseThrow();
        assertEquals("AGENT_DEFECT", failure.reason());
        var journalled = journal.state(broken.key()).orElseThrow();
        assertEquals(JobState.Phase.FAILED, journalled.phase());
        assertTrue(journalled.failure().contains("AGENT_DEFECT") && journalled.failure().contains("injected"),
                journalled.failure());
        assertEquals(List.of(), runtime.list(Optional.of(broken.key())), "the broken job's container is removed");

        // Its slot is free: the next job's container runs to its end (its upload then meets no gateway).
        await("the next job runs").atMost(Duration.ofSeconds(60)).until(() -> failed(next.key()).isPresent());
        assertTrue(statuses.stream().anyMatch(s -> s.jobId().equals(next.key().jobId()) && s.step().equals("running")));
        var nextState = journal.state(next.key()).orElseThrow();
        assertEquals("exited", nextState.finished().outcome());
        assertEquals(0, nextState.finished().exitCode());
        assertEquals("UPLOAD_FAILED", failed(next.key()).orElseThrow().reason());
        assertEquals(List.of(), runtime.list(Optional.of(next.key())));
        await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.load() == 0);
    }

    private ActiveJob job(String jobId, String image) throws IOException {
        var key = new JobKey(jobId, 0, 1);
        long deadline = Instant.now().getEpochSecond() + 3_600;
        var spec = new JobSpec(jobId, image, List.of("sh", "-c", "echo hi > /output/out.txt"), Map.of(), null,
                new Resources(500, 64, 0, null, 64, "amd64", Map.of()), 20, 30,
                new Verification(Verification.Mode.SINGLE, 1, 1, null, null), 0, deadline);
        journal.append(key, new JobStep.Accepted("offer-1", deadline * 1000));
        return new ActiveJob(key, 1, ORG, "offer-1", spec, deadline, 30);
    }

    private Optional<ReplicaStatus> failed(JobKey key) {
        return statuses.stream().filter(s -> s.jobId().equals(key.jobId()) && s.step().equals("failed")).findFirst();
    }

    /** A port nothing on this path should reach: every call throws {@code failure}. */
    private static <T> T unreachable(Class<T> port, Exception failure) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> port.getSimpleName() + " (unreachable)";
                };
            }
            throw failure;
        }));
    }

    /** The real runtime, except that its first {@code start} throws what no step expects. */
    private static final class StartFailsOnce implements ContainerRuntime {

        private final ContainerRuntime real;
        private final AtomicBoolean thrown = new AtomicBoolean();

        StartFailsOnce(ContainerRuntime real) {
            this.real = real;
        }

        @Override
        public void start(ContainerId id) throws ContainerRuntimeException {
            if (thrown.compareAndSet(false, true)) {
                throw new IllegalStateException("injected: a defect at start of " + id);
            }
            real.start(id);
        }

        @Override
        public EngineInfo engine() {
            return real.engine();
        }

        @Override
        public boolean hasImage(ImageRef image) throws ContainerRuntimeException {
            return real.hasImage(image);
        }

        @Override
        public ContainerId create(RunSpec spec) throws ContainerRuntimeException {
            return real.create(spec);
        }

        @Override
        public Outcome await(ContainerId id, Duration timeout) throws ContainerRuntimeException {
            return real.await(id, timeout);
        }

        @Override
        public CapturedLogs logs(ContainerId id, long capBytes) throws ContainerRuntimeException {
            return real.logs(id, capBytes);
        }

        @Override
        public void remove(ContainerId id) throws ContainerRuntimeException {
            real.remove(id);
        }

        @Override
        public List<ContainerSummary> list(Optional<JobKey> job) throws ContainerRuntimeException {
            return real.list(job);
        }

        @Override
        public int removeAll(Optional<JobKey> job) throws ContainerRuntimeException {
            return real.removeAll(job);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
