package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.NodeIdentity;
import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.EventCheckpoint;
import io.gridledger.ledger.EventStream;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.LedgerException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Reveals committed results when the ledger says so, without polling: one reader of the contract's events (from the
 * node's own peer, as the node's identity) looks for events naming a job this node committed to — the last
 * {@code ResultCommitted} of a round moves it to its reveal phase; expiries, tie-breaks and endings change it too —
 * and then asks {@link JobRunner#tryReveal} to look at the job. After the stream failed it resumes after the last
 * event it saw and looks at every waiting job once, so no event is missed.
 */
@Singleton
public final class RevealWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RevealWatcher.class);

    private final Ledger ledger;
    private final NodeIdentity node;
    private final JobRunner runner;
    private final Map<JobKey, ActiveJob> waiting = new ConcurrentHashMap<>();
    private final ExecutorService revealer = Executors.newSingleThreadExecutor(daemon("agent-reveal"));
    private volatile EventStream stream;
    private volatile boolean stopped;
    private Thread reader;

    public RevealWatcher(Ledger ledger, NodeIdentity node, JobRunner runner) {
        this.ledger = ledger;
        this.node = node;
        this.runner = runner;
    }

    /** Starts reading events from the chain's current height. */
    public synchronized void start() {
        if (reader != null) {
            return;
        }
        long height = ledger.chainHeight(node.name());
        reader = daemon("agent-ledger-events").newThread(() -> read(EventCheckpoint.at(height)));
        reader.start();
    }

    /** A committed job to reveal as soon as its round allows; looked at once right away. */
    public void watch(ActiveJob job) {
        waiting.put(job.key(), job);
        check(List.of(job));
    }

    public int waiting() {
        return waiting.size();
    }

    private void read(EventCheckpoint from) {
        var checkpoint = from;
        long backoff = 200;
        while (!stopped) {
            try (var events = ledger.events(node.name(), checkpoint)) {
                stream = events;
                check(List.copyOf(waiting.values())); // whatever happened while no stream was open
                backoff = 200;
                while (!stopped && events.hasNext()) {
                    ChaincodeEvent event = events.next();
                    checkpoint = event.checkpoint();
                    var named = new HashSet<String>(event.payload().jobIds());
                    event.payload().assignments().forEach(a -> named.add(a.jobId()));
                    var affected = waiting.values().stream().filter(job -> named.contains(job.key().jobId())).toList();
                    if (!affected.isEmpty()) {
                        check(affected);
                    }
                }
            } catch (LedgerException | IllegalStateException e) {
                if (stopped) {
                    return;
                }
                LOG.warn("ledger events stopped ({}); reading again after {} ms", e.getMessage(), backoff);
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.warn("ledger events failed ({}); reading again after {} ms", e.toString(), backoff);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 10_000);
        }
    }

    private void check(List<ActiveJob> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        revealer.execute(() -> {
            for (ActiveJob job : jobs) {
                if (waiting.containsKey(job.key()) && runner.tryReveal(job)) {
                    waiting.remove(job.key());
                }
            }
        });
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        stopped = true;
        var current = stream;
        if (current != null) {
            current.close();
        }
        if (reader != null) {
            reader.interrupt();
            reader.join(5_000);
        }
        revealer.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            var thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    Set<JobKey> waitingKeys() {
        return Set.copyOf(waiting.keySet());
    }
}
