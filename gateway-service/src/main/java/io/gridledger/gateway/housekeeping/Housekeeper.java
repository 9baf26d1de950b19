package io.gridledger.gateway.housekeeping;

import io.gridledger.gateway.dispatch.LedgerEventListener;
import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.Identities;
import io.gridledger.ledger.Ledger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives jobs through their life from the chaincode-event stream (never by polling the ledger in a loop), as every
 * member's gateway does, each acting on its own clients' jobs first:
 *
 * <ul>
 *   <li>{@code JobSubmitted} of this org's client → {@link Matcher} ({@code MatchJobs}, batched);
 *       {@code TieBreakRequested} → the same, for the tie-breakers</li>
 *   <li>{@code JobCompleted}/{@code JobFailed}/{@code JobCancelled} of this org's client → its slots ride along with
 *       the next {@code MatchJobs}; an offer published, resumed or updated, or slots released → {@code MatchQueue} for
 *       jobs still waiting</li>
 *   <li>{@code ResultRevealed} → {@link Settler} ({@code SettleJob} once every replica revealed)</li>
 *   <li>every job event → {@link Sweeper} re-arms the job's deadline timer ({@code ExpireJob}, {@code SettleJob})</li>
 * </ul>
 *
 * The matcher, the settler and the sweeper each run on their own thread; events only enqueue work, so the dispatcher
 * is never held up.
 */
@Singleton
@Requires(beans = Ledger.class)
@Requires(property = "gridledger.housekeeping.enabled", notEquals = "false")
public final class Housekeeper implements LedgerEventListener, ApplicationEventListener<StartupEvent>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);

    private final JobDirectory directory;
    private final Matcher matcher;
    private final Settler settler;
    private final Sweeper sweeper;
    private final List<ScheduledExecutorService> threads;

    public Housekeeper(Ledger ledger, Identities identities, HousekeepingSettings settings, MeterRegistry meters) {
        var mspId = identities.mspId();
        var matching = thread("housekeeping-matcher-" + mspId);
        var settling = thread("housekeeping-settler-" + mspId);
        var sweeping = thread("housekeeping-sweeper-" + mspId);
        this.threads = List.of(matching, settling, sweeping);
        this.directory = new JobDirectory(ledger, settings.identity(), mspId);
        this.matcher = new Matcher(ledger, settings, directory, meters, matching);
        this.settler = new Settler(ledger, settings, directory, meters, settling);
        this.sweeper = new Sweeper(ledger, settings, directory, matcher, settler, meters, sweeping, Clock.systemUTC());
        meters.gauge("gridledger.housekeeping.watched.jobs", this, Housekeeper::watchedJobs);
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        LOG.info("housekeeping of {} starts: recovering queued and running jobs from the ledger", directory.mspId());
        sweeper.recover();
    }

    @Override
    public void onEvent(ChaincodeEvent event) {
        var payload = event.payload();
        switch (event.name()) {
            case "JobSubmitted" -> payload.jobIds().forEach(jobId -> {
                sweeper.track(jobId);
                whenOwn(jobId, () -> matcher.match(List.of(jobId)));
            });
            case "TieBreakRequested" -> payload.jobIds().forEach(jobId -> {
                sweeper.track(jobId);
                whenOwn(jobId, () -> matcher.match(List.of(jobId)));
            });
            case "JobsMatched" -> {
                matcher.matched(payload.jobIds());
                settler.assigned(payload.assignments());
                payload.jobIds().forEach(sweeper::track);
                if (!payload.released().isEmpty()) {
                    matcher.capacity(null);
                }
            }
            case "ReplicasExpired" -> payload.jobIds().forEach(jobId -> {
                settler.assigned(payload.assignments());
                settler.refresh(jobId);
                sweeper.track(jobId);
            });
            case "ResultCommitted" -> payload.jobIds().forEach(sweeper::track);
            case "ResultRevealed" -> payload.jobIds().forEach(jobId -> {
                if (payload.replica() != null) {
                    settler.revealed(jobId, payload.replica());
                }
            });
            case "JobCompleted", "JobFailed", "JobCancelled" -> payload.jobIds().forEach(jobId -> {
                sweeper.forget(jobId);
                settler.forget(jobId);
                whenOwn(jobId, () -> matcher.release(List.of(jobId)));
            });
            case "SlotsReleased" -> matcher.capacity(null);
            case "OfferPublished", "OfferResumed", "OfferUpdated" -> matcher.capacity(payload.resourceClass());
            default -> {
                // accounts, governance, reputation, offers paused or withdrawn: nothing to drive
            }
        }
    }

    /** Runs {@code action} on the sweeper's thread once the job's org is known (a ledger read, off this thread). */
    private void whenOwn(String jobId, Runnable action) {
        threads.get(2).execute(() -> {
            try {
                if (directory.isOwn(jobId)) {
                    action.run();
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot read job {}: {}", jobId, e.getMessage());
            }
        });
    }

    private static ScheduledExecutorService thread(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Jobs whose deadlines are being watched. */
    public int watchedJobs() {
        return sweeper.armed();
    }

    @PreDestroy
    @Override
    public void close() {
        threads.forEach(ScheduledExecutorService::shutdownNow);
        for (var thread : threads) {
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
