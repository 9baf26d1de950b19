package io.gridledger.agent.status;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.NodeIdentity;
import io.gridledger.agent.exchange.JobExchange;
import io.gridledger.exchange.ProgressRequest;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Tells each step of each replica: to this org's Kafka ({@link StatusSink}, AGENT-STATUS.md) and, for a job of
 * another org, to that org's gateway over the node exchange (its progress endpoint). Sent from one thread in the
 * order the steps happened, never blocking the job; a step that cannot be delivered is logged and dropped. The
 * {@code at} of an attempt's step is never earlier than its previous step's.
 */
@Singleton
public final class StatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final StatusSink sink;
    private final JobExchange exchange;
    private final NodeIdentity node;
    private final Clock clock;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        var thread = new Thread(runnable, "agent-status");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<JobKey, Long> lastAt = new ConcurrentHashMap<>();

    public StatusReporter(StatusSink sink, JobExchange exchange, NodeIdentity node) {
        this(sink, exchange, node, Clock.systemUTC());
    }

    StatusReporter(StatusSink sink, JobExchange exchange, NodeIdentity node, Clock clock) {
        this.sink = sink;
        this.exchange = exchange;
        this.node = node;
        this.clock = clock;
    }

    public void step(JobKey job, String clientOrg, Step step) {
        report(job, clientOrg, step, null, null);
    }

    /** The container ended with exit code 0 and its outputs are going up. */
    public void uploading(JobKey job, String clientOrg, int exitCode) {
        report(job, clientOrg, Step.UPLOADING, null, exitCode);
    }

    public void failed(JobKey job, String clientOrg, FailureReason reason, @Nullable Integer exitCode) {
        report(job, clientOrg, Step.FAILED, reason.name(), exitCode);
    }

    private void report(JobKey job, String clientOrg, Step step, @Nullable String reason, @Nullable Integer exitCode) {
        long at = lastAt.merge(job, clock.millis(), Math::max);
        if (step == Step.FAILED || step == Step.REVEALED) {
            lastAt.remove(job);
        }
        var status = new ReplicaStatus(job.toString(), job.jobId(), job.replica(), job.attempt(), node.nodeId(),
                step.wireName(), reason, exitCode, at);
        sender.execute(() -> {
            try {
                sink.replica(status);
            } catch (Exception e) {
                LOG.warn("job={} status {} not delivered to Kafka: {}", job, step.wireName(), rootCause(e));
            }
            if (clientOrg != null && !clientOrg.equals(node.mspId())) {
                try {
                    exchange.progress(clientOrg, job, new ProgressRequest(job.attempt(), step.wireName(), reason, at));
                } catch (Exception e) {
                    LOG.debug("job={} progress {} not delivered to {}'s gateway: {}", job, step.wireName(), clientOrg,
                            e.getMessage());
                }
            }
        });
    }

    /** Sends a heartbeat now, on the same thread as the steps. */
    public void heartbeat(NodeStatus status) {
        sender.execute(() -> {
            try {
                sink.node(status);
            } catch (Exception e) {
                LOG.warn("heartbeat ({}) not delivered to Kafka: {}", status.state(), rootCause(e));
            }
        });
    }

    /** The innermost cause's message: what a bean-creation failure wraps is what the operator needs. */
    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? e.toString() : e.getMessage() + " (" + cause + ")";
    }

    /** Waits (a little) for what is queued to go out: the last heartbeat of a clean stop. */
    @PreDestroy
    void close() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(10, TimeUnit.SECONDS);
    }
}
