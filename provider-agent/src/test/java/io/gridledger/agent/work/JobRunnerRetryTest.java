package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.NodeIdentity;
import io.gridledger.agent.config.AgentFaults;
import io.gridledger.agent.config.AgentSettings;
import io.gridledger.agent.exchange.ExchangeException;
import io.gridledger.agent.exchange.JobExchange;
import io.gridledger.agent.exchange.Transfers;
import io.gridledger.agent.journal.JobStep;
import io.gridledger.agent.journal.Journal;
import io.gridledger.agent.operations.AgentMetrics;
import io.gridledger.agent.runtime.ContainerRuntime;
import io.gridledger.agent.runtime.Engines;
import io.gridledger.agent.runtime.GpuInventory;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client org's gateway or store unavailable when the outputs are due (503 with Retry-After): the agent waits it
 * out while its commitment can still be made in time, and gives up after a few tries only when it cannot. A real
 * container on dockerd, the real journal and runner; the exchange answers 503 a number of times, then refuses (403),
 * so every run ends in {@code UPLOAD_FAILED} and the test counts how often the agent asked.
 */
class JobRunnerRetryTest {

    private static final String ORG = "Org1MSP";

    @TempDir
    Path dir;

    private final List<ReplicaStatus> statuses = new CopyOnWriteArrayList<>();
    private final AtomicInteger declarations = new AtomicInteger();
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
    void an_unavailable_store_is_waited_out_past_five_tries_while_the_commit_deadline_is_far() throws Exception {
        var key = run(12, Instant.now().getEpochSecond() + 3_600);
        await("the job ends").atMost(Duration.ofSeconds(60)).until(() -> failed(key).isPresent());
        assertEquals("UPLOAD_FAILED", failed(key).orElseThrow().reason());
        assertEquals(13, declarations.get(), "12 answers of 503 waited out, then the refusal");
    }

    @Test
    void with_the_commit_deadline_too_near_the_agent_gives_up_after_five_tries() throws Exception {
        var key = run(12, Instant.now().getEpochSecond() + 4);
        await("the job ends").atMost(Duration.ofSeconds(60)).until(() -> failed(key).isPresent());
        assertEquals("UPLOAD_FAILED", failed(key).orElseThrow().reason());
        assertEquals(5, declarations.get());
    }

    /** Runs a no-op job whose outputs' declaration is answered 503 {@code unavailable} times, then 403. */
    private JobKey run(int unavailable, long commitDeadline) throws Exception {
        runtime = Engines.connect("docker", GpuInventory.none("test"));
        String image = "gridledger/busybox@" + Engines.busybox("docker").digest();
        journal = Journal.open(dir.resolve("journal"));
        var settings = new AgentSettings("node1", dir.toString(), "unix:///var/run/docker.sock", "offer-1", 1, 10, 0,
                0, 0, 0, null, null, "a", "s", "n", Duration.ofSeconds(10), 10_000, 1L << 30, 1 << 20, 256, true);
        var node = new NodeIdentity("node1", ORG, "node1@" + ORG, "-----BEGIN CERTIFICATE-----");
        Ledger ledger = port(Ledger.class, name -> {
            throw new UnsupportedOperationException("no ledger on this path");
        });
        JobExchange exchange = port(JobExchange.class, name -> {
            if (name.equals("declareOutputs") && declarations.incrementAndGet() <= unavailable) {
                throw new ExchangeException("STORAGE_UNAVAILABLE", 503, "the store is down", Duration.ofMillis(50), null);
            }
            throw new ExchangeException("REFUSED", 403, "refused", null, null);
        });
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

        var jobId = "retry-" + System.nanoTime();
        var key = new JobKey(jobId, 0, 1);
        long deadline = Instant.now().getEpochSecond() + 3_600;
        var spec = new JobSpec(jobId, image, List.of("sh", "-c", "echo hi > /output/out.txt"), Map.of(), null,
                new Resources(500, 64, 0, null, 64, "amd64", Map.of()), 20, 30,
                new Verification(Verification.Mode.SINGLE, 1, 1, null, null), 0, deadline);
        journal.append(key, new JobStep.Accepted("offer-1", commitDeadline * 1000));
        scheduler.submit(new ActiveJob(key, 1, ORG, "offer-1", spec, commitDeadline, 2));
        return key;
    }

    private Optional<ReplicaStatus> failed(JobKey key) {
        return statuses.stream().filter(s -> s.jobId().equals(key.jobId()) && s.step().equals("failed")).findFirst();
    }

    interface Answer {
        Object call(String method) throws Exception;
    }

    /** A port whose every call is {@code answer}ed by method name. */
    private static <T> T port(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> type.getSimpleName() + " (test)";
                };
            }
            return answer.call(method.getName());
        }));
    }
}
