package io.gridledger.gateway.housekeeping;

import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.MatchReport;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Places jobs on the market, one matching transaction at a time, on its own thread. Jobs to match (this org's
 * submissions, tie-breaks) and ended jobs whose slots to release accumulate while a transaction is in flight; the
 * next {@code MatchJobs} carries all of them (100 of each at most). Jobs it could not place wait by resource class;
 * when capacity appears in a class (an offer published, resumed or updated, slots released) it runs
 * {@code MatchQueue} for that class, which places the class's oldest waiting jobs.
 */
final class Matcher {

    private static final Logger LOG = LoggerFactory.getLogger(Matcher.class);
    private static final int MAX_IDS = 100;

    private final Ledger ledger;
    private final HousekeepingSettings settings;
    private final JobDirectory directory;
    private final MeterRegistry meters;
    private final ScheduledExecutorService thread;
    private final Set<String> toMatch = new LinkedHashSet<>();
    private final Set<String> toRelease = new LinkedHashSet<>();
    private final Map<String, Set<String>> waiting = new HashMap<>();
    private final Set<String> capacity = new LinkedHashSet<>();
    private boolean drainScheduled;

    Matcher(Ledger ledger, HousekeepingSettings settings, JobDirectory directory, MeterRegistry meters,
            ScheduledExecutorService thread) {
        this.ledger = ledger;
        this.settings = settings;
        this.directory = directory;
        this.meters = meters;
        this.thread = thread;
    }

    /** Jobs awaiting matching (queued, or waiting for tie-breakers). */
    void match(Collection<String> jobIds) {
        thread.execute(() -> {
            toMatch.addAll(jobIds);
            scheduleDrain(0);
        });
    }

    /** Ended jobs whose slots go back to the market with the next matching. */
    void release(Collection<String> jobIds) {
        thread.execute(() -> {
            toRelease.addAll(jobIds);
            scheduleDrain(0);
        });
    }

    /** Jobs that were matched by anyone: they no longer wait. */
    void matched(Collection<String> jobIds) {
        thread.execute(() -> {
            waiting.values().forEach(ids -> ids.removeAll(jobIds));
            toMatch.removeAll(jobIds);
        });
    }

    /** Capacity appeared in {@code resourceClass} ({@code null}: in any class, e.g. slots released). */
    void capacity(String resourceClass) {
        thread.execute(() -> {
            if (resourceClass == null) {
                waiting.forEach((c, ids) -> {
                    if (!ids.isEmpty()) {
                        capacity.add(c);
                    }
                });
            } else if (!waiting.getOrDefault(resourceClass, Set.of()).isEmpty()) {
                capacity.add(resourceClass);
            }
            scheduleDrain(0);
        });
    }

    private void scheduleDrain(long delayMillis) {
        if (!drainScheduled) {
            drainScheduled = true;
            thread.schedule(this::drain, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void drain() {
        drainScheduled = false;
        if (!toMatch.isEmpty() || !toRelease.isEmpty()) {
            var ids = take(toMatch);
            var release = take(toRelease);
            var result = Outcome.of("MatchJobs", ids.size() == 1 ? ids.get(0) : null, LOG, meters,
                    () -> ledger.matchJobs(settings.identity(), ids, release).value());
            result.value().ifPresent(report -> settle(ids, report));
            if (result.retriable()) {
                toMatch.addAll(ids);
                toRelease.addAll(release);
                scheduleDrain(settings.retryDelay().toMillis());
                return;
            }
        } else if (!capacity.isEmpty()) {
            var resourceClass = capacity.iterator().next();
            capacity.remove(resourceClass);
            var result = Outcome.of("MatchQueue", null, LOG, meters,
                    () -> ledger.matchQueue(settings.identity(), resourceClass, settings.matchLimit(), List.of()).value());
            result.value().ifPresent(report -> {
                LOG.info("MatchQueue {} placed {} replica(s)", resourceClass, report.assignments().size());
                settle(List.of(), report);
            });
        }
        if (!toMatch.isEmpty() || !toRelease.isEmpty() || !capacity.isEmpty()) {
            scheduleDrain(0);
        }
    }

    /** Records what a matching did: placed jobs stop waiting, unplaced ones wait in their class. */
    private void settle(List<String> asked, MatchReport report) {
        var placed = new LinkedHashSet<String>();
        report.assignments().forEach(a -> placed.add(a.jobId()));
        waiting.values().forEach(ids -> {
            ids.removeAll(placed);
            ids.removeAll(report.skipped());
        });
        report.unmatched().forEach((jobId, why) -> {
            var resourceClass = directory.of(jobId).resourceClass();
            waiting.computeIfAbsent(resourceClass, c -> new LinkedHashSet<>()).add(jobId);
            LOG.info("job {} waits for capacity in {}: {} {}", jobId, resourceClass, why.reason(), why.detail());
        });
        if (!asked.isEmpty() || !report.released().isEmpty()) {
            LOG.info("matched {} of {} job(s), {} replica(s) placed, {} released", placed.size(), asked.size(),
                    report.assignments().size(), report.released().size());
        }
    }

    private static List<String> take(Set<String> from) {
        var taken = new ArrayList<String>();
        var it = from.iterator();
        while (it.hasNext() && taken.size() < MAX_IDS) {
            taken.add(it.next());
            it.remove();
        }
        return taken;
    }
}
