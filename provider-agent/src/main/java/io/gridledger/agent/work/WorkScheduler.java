package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.config.AgentSettings;
import io.gridledger.agent.journal.JobState;
import io.gridledger.agent.operations.AgentMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs accepted jobs, at most {@code capacity} at once, each on a thread of its own until it committed (or failed);
 * committed jobs wait for their reveal with the {@link RevealWatcher}, using no thread. Back-pressure, not drops: when
 * every slot is busy the assignment consumer is paused ({@link #onLoad}) and a job already accepted waits its turn.
 */
@Singleton
public final class WorkScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(WorkScheduler.class);

    private final JobRunner runner;
    private final RevealWatcher reveals;
    private final AgentMetrics metrics;
    private final int capacity;
    private final ExecutorService workers;
    private final Set<JobKey> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private volatile IntConsumer loadListener = load -> { };

    public WorkScheduler(JobRunner runner, RevealWatcher reveals, AgentMetrics metrics, AgentSettings settings) {
        this.runner = runner;
        this.reveals = reveals;
        this.metrics = metrics;
        this.capacity = settings.capacity();
        var counter = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(capacity, runnable -> {
            var thread = new Thread(runnable, "agent-job-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Told the number of jobs in progress each time it changes (the consumer pauses at capacity). */
    public void onLoad(IntConsumer listener) {
        this.loadListener = listener;
    }

    public int capacity() {
        return capacity;
    }

    /** Jobs accepted and not yet committed or failed: queued or running. */
    public int load() {
        return active.get();
    }

    /** Whether this attempt is already being worked on (a redelivered assignment). */
    public boolean holds(JobKey key) {
        return inFlight.contains(key);
    }

    public void submit(ActiveJob job) {
        if (!inFlight.add(job.key())) {
            return;
        }
        changed(active.incrementAndGet());
        workers.execute(() -> {
            try {
                var phase = runner.drive(job);
                if (phase == JobState.Phase.COMMITTED) {
                    reveals.watch(job);
                }
            } catch (RuntimeException e) {
                LOG.error("job={} stopped by a defect: {}", job.key(), e.toString(), e);
            } finally {
                inFlight.remove(job.key());
                changed(active.decrementAndGet());
            }
        });
    }

    private void changed(int load) {
        metrics.running(load);
        loadListener.accept(load);
    }

    @PreDestroy
    void close() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
