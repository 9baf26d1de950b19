package io.gridledger.gateway.housekeeping;

import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Ledger;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Settles this org's clients' jobs as soon as every active replica of the current round has revealed, counting
 * {@code ResultRevealed} events against the replicas the job's assignments named (read from the ledger when the job
 * was not followed from its assignment, or after replicas expired). One thread.
 */
final class Settler {

    private static final Logger LOG = LoggerFactory.getLogger(Settler.class);

    /** A job's current round: which replica indexes must reveal, which did. */
    private static final class Round {
        int round;
        final Set<Integer> active = new HashSet<>();
        final Set<Integer> revealed = new HashSet<>();
    }

    private final Ledger ledger;
    private final HousekeepingSettings settings;
    private final JobDirectory directory;
    private final MeterRegistry meters;
    private final ScheduledExecutorService thread;
    private final Map<String, Round> rounds = new HashMap<>();

    Settler(Ledger ledger, HousekeepingSettings settings, JobDirectory directory, MeterRegistry meters,
            ScheduledExecutorService thread) {
        this.ledger = ledger;
        this.settings = settings;
        this.directory = directory;
        this.meters = meters;
        this.thread = thread;
    }

    /** Replicas were assigned (a match, a reassignment after expiry). */
    void assigned(Iterable<Assignment> assignments) {
        thread.execute(() -> {
            for (var a : assignments) {
                if (!directory.isOwn(a.jobId())) {
                    continue;
                }
                var round = rounds.computeIfAbsent(a.jobId(), id -> new Round());
                if (a.round() > round.round) {
                    round.round = a.round();
                    round.active.clear();
                    round.revealed.clear();
                }
                if (a.round() == round.round) {
                    round.active.add(a.replica());
                    round.revealed.remove(a.replica());
                }
            }
        });
    }

    void revealed(String jobId, int replica) {
        thread.execute(() -> {
            if (!directory.isOwn(jobId)) {
                return;
            }
            var round = rounds.get(jobId);
            if (round == null) {
                load(jobId);
                return;
            }
            round.revealed.add(replica);
            if (!round.active.isEmpty() && round.revealed.containsAll(round.active)) {
                settle(jobId);
            }
        });
    }

    /** The job's replicas changed in a way events do not fully say (expiry): read them again. */
    void refresh(String jobId) {
        thread.execute(() -> {
            if (rounds.containsKey(jobId) || directory.isOwn(jobId)) {
                load(jobId);
            }
        });
    }

    void forget(String jobId) {
        thread.execute(() -> rounds.remove(jobId));
    }

    /** Reads the job's current round from the ledger, and settles it if every replica revealed already. */
    private void load(String jobId) {
        JobView view;
        try {
            view = ledger.getJob(settings.identity(), jobId);
        } catch (RuntimeException e) {
            LOG.warn("cannot read job {}: {}", jobId, e.getMessage());
            return;
        }
        if (view.job().isFinished()) {
            rounds.remove(jobId);
            return;
        }
        var round = new Round();
        round.round = view.job().round();
        for (var replica : view.currentReplicas()) {
            round.active.add(replica.assignment().index());
            if (replica.revealed()) {
                round.revealed.add(replica.assignment().index());
            }
        }
        rounds.put(jobId, round);
        if (SweepPlan.allRevealed(view)) {
            settle(jobId);
        }
    }

    private void settle(String jobId) {
        var result = Outcome.of("SettleJob", jobId, LOG, meters, () -> ledger.settleJob(settings.identity(), jobId));
        result.value().ifPresent(committed -> {
            LOG.info("settled job {}: {} (tx {})", jobId, committed.value().status(), committed.txId());
            rounds.remove(jobId);
        });
        if (result.outcome() == Outcome.WRONG_STATE) {
            rounds.remove(jobId);
        }
    }
}
