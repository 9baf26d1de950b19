package io.gridledger.gateway.housekeeping;

import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.PageRequest;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces deadlines nobody else acts on, from a timer per job keyed by its next deadline ({@link SweepPlan}) on a
 * {@link ScheduledExecutorService}: {@code ExpireJob} when a commit deadline or a queued job's latest start passed,
 * {@code SettleJob} when a reveal window closed — each once the deadline passed by more than the job's clock
 * tolerance. Timers are re-armed from events (the job is read again from the ledger), and at start from the ledger's
 * listings of RUNNING and QUEUED jobs, once. Another org's job gets {@code foreignDelay} more, so its own gateway
 * acts first; a foreign job still waiting for matching after that delay is matched here.
 */
final class Sweeper {

    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

    private final Ledger ledger;
    private final HousekeepingSettings settings;
    private final JobDirectory directory;
    private final Matcher matcher;
    private final Settler settler;
    private final MeterRegistry meters;
    private final ScheduledExecutorService thread;
    private final Clock clock;
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();
    private final Set<String> refreshing = new HashSet<>();
    private final Set<String> foreignMatchTried = new HashSet<>();
    private final Map<String, Integer> tries = new HashMap<>();

    Sweeper(Ledger ledger, HousekeepingSettings settings, JobDirectory directory, Matcher matcher, Settler settler,
            MeterRegistry meters, ScheduledExecutorService thread, Clock clock) {
        this.ledger = ledger;
        this.settings = settings;
        this.directory = directory;
        this.matcher = matcher;
        this.settler = settler;
        this.meters = meters;
        this.thread = thread;
        this.clock = clock;
    }

    /** Something happened to the job: read it again and re-arm its timer. */
    void track(String jobId) {
        thread.execute(() -> {
            if (refreshing.add(jobId)) {
                thread.execute(() -> refresh(jobId));
            }
        });
    }

    /** The job ended: drop its timer. */
    void forget(String jobId) {
        thread.execute(() -> {
            cancel(jobId);
            foreignMatchTried.remove(jobId);
            tries.remove(jobId);
        });
    }

    /**
     * After a start: every RUNNING and QUEUED job on the ledger gets its timer; this org's queued jobs go to matching
     * and its running ones to the settler (which settles those whose reveals are all in).
     */
    void recover() {
        thread.execute(() -> {
            int count = 0;
            for (var status : new Job.Status[] {Job.Status.QUEUED, Job.Status.RUNNING}) {
                var request = PageRequest.first(200);
                while (true) {
                    io.gridledger.ledger.Page<Job> page;
                    try {
                        page = ledger.listJobsByStatus(settings.identity(), status, request);
                    } catch (RuntimeException e) {
                        LOG.warn("cannot list {} jobs to recover: {}", status, e.getMessage());
                        break;
                    }
                    for (var job : page.items()) {
                        directory.remember(job);
                        count++;
                        if (job.clientOrg().equals(directory.mspId())) {
                            if (job.awaitsMatching()) {
                                matcher.match(java.util.List.of(job.jobId()));
                            } else {
                                settler.refresh(job.jobId());
                            }
                        }
                        refreshing.add(job.jobId());
                        thread.execute(() -> refresh(job.jobId()));
                    }
                    if (!page.hasMore()) {
                        break;
                    }
                    request = page.next(request);
                }
            }
            LOG.info("housekeeping recovered {} queued or running job(s) from the ledger", count);
        });
    }

    private void refresh(String jobId) {
        refreshing.remove(jobId);
        JobView view;
        try {
            view = ledger.getJob(settings.identity(), jobId);
        } catch (RuntimeException e) {
            LOG.warn("cannot read job {}: {}; trying again later", jobId, e.getMessage());
            arm(jobId, settings.retryDelay().toMillis(), () -> track(jobId));
            return;
        }
        directory.remember(view.job());
        var plan = SweepPlan.next(view);
        if (plan.isEmpty()) {
            cancel(jobId);
            return;
        }
        boolean own = view.job().clientOrg().equals(directory.mspId());
        long delay = own ? 0 : settings.foreignDelay().toMillis();
        long now = clock.millis();
        if (!own && view.job().awaitsMatching() && !foreignMatchTried.contains(jobId)) {
            arm(jobId, delay, () -> {
                foreignMatchTried.add(jobId);
                LOG.info("job {} of {} still waits for matching; matching it here", jobId, view.job().clientOrg());
                matcher.match(java.util.List.of(jobId));
                track(jobId);
            });
            return;
        }
        var deadline = plan.get();
        long due = Math.max(0, deadline.dueAt() * 1000 - now) + delay;
        // After a "not yet" (clocks differ a little), back off: 1, 2, 4 … retry delays.
        int attempt = tries.getOrDefault(jobId, 0);
        if (attempt > 0) {
            due = Math.max(due, settings.retryDelay().toMillis() << Math.min(attempt - 1, 5));
        }
        arm(jobId, due, () -> fire(jobId, deadline.action()));
    }

    private void fire(String jobId, SweepPlan.Action action) {
        timers.remove(jobId);
        var result = switch (action) {
            case EXPIRE -> Outcome.of("ExpireJob", jobId, LOG, meters, () -> ledger.expireJob(settings.identity(), jobId));
            case SETTLE -> Outcome.of("SettleJob", jobId, LOG, meters, () -> ledger.settleJob(settings.identity(), jobId));
        };
        result.value().ifPresent(committed ->
                LOG.info("{} of job {} after its deadline: {} (tx {})", action, jobId, committed.value().status(), committed.txId()));
        if (result.outcome() == Outcome.DONE) {
            tries.remove(jobId);
        } else {
            tries.merge(jobId, 1, Integer::sum);
        }
        if (tries.getOrDefault(jobId, 0) > 8) {
            LOG.warn("giving up on {} of job {} after {} tries", action, jobId, tries.get(jobId));
            tries.remove(jobId);
            return;
        }
        refreshing.add(jobId);
        refresh(jobId);
    }

    private void arm(String jobId, long delayMillis, Runnable action) {
        cancel(jobId);
        timers.put(jobId, thread.schedule(action, delayMillis, TimeUnit.MILLISECONDS));
    }

    private void cancel(String jobId) {
        var timer = timers.remove(jobId);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Jobs with an armed timer (for health and tests). */
    int armed() {
        return timers.size();
    }
}
