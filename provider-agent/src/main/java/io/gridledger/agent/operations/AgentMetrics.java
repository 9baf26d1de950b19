package io.gridledger.agent.operations;

import io.gridledger.agent.status.FailureReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's Prometheus metrics: {@code gridledger_agent_jobs_running} (containers' jobs in progress),
 * {@code gridledger_agent_container_start_seconds} (create → running), {@code gridledger_agent_upload_bytes_total}
 * and {@code gridledger_agent_upload_seconds} (throughput = their rates' ratio), {@code gridledger_agent_runs_total}
 * (by how the container ended) and {@code gridledger_agent_failures_total} (by reason).
 */
@Singleton
public final class AgentMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger running;
    private final Timer containerStart;
    private final Counter uploadBytes;
    private final Timer uploadTime;
    private final DistributionSummary uploadSize;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.running = registry.gauge("gridledger.agent.jobs.running", new AtomicInteger());
        this.containerStart = Timer.builder("gridledger.agent.container.start")
                .description("from creating a job's container to its running").publishPercentileHistogram()
                .register(registry);
        this.uploadBytes = Counter.builder("gridledger.agent.upload.bytes").baseUnit("bytes")
                .description("output bytes PUT to the client org's object store").register(registry);
        this.uploadTime = Timer.builder("gridledger.agent.upload").description("time spent in output PUTs")
                .register(registry);
        this.uploadSize = DistributionSummary.builder("gridledger.agent.upload.object.size").baseUnit("bytes")
                .register(registry);
    }

    public void running(int jobs) {
        running.set(jobs);
    }

    public int running() {
        return running.get();
    }

    public void containerStarted(Duration latency) {
        containerStart.record(latency);
    }

    public void uploaded(long bytes, Duration took) {
        uploadBytes.increment(bytes);
        uploadTime.record(took);
        uploadSize.record(bytes);
    }

    public void finished(String outcome) {
        registry.counter("gridledger.agent.runs", "outcome", outcome).increment();
    }

    public void failed(FailureReason reason) {
        registry.counter("gridledger.agent.failures", "reason", reason.name()).increment();
    }
}
