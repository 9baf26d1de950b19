package io.gridledger.gateway.housekeeping;

import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobView;

import java.util.Optional;

/**
 * When a job's next deadline passes, and what to do then: the sweeper's arithmetic, from the job as the ledger has it.
 * Every deadline counts as passed only once it passed by more than the job's clock tolerance (its terms, copied from
 * the consortium's parameters when it was submitted), so the action is planned one second after that.
 *
 * <ul>
 *   <li>queued, or waiting for tie-breakers: {@code ExpireJob} after its latest start (deadline − timeout − grace)</li>
 *   <li>commit phase with replicas yet to commit: {@code ExpireJob} after the earliest of their commit deadlines</li>
 *   <li>commit phase, all committed: {@code SettleJob} after the reveal window (last commit + window)</li>
 *   <li>reveal phase (expiry closed the commit phase): {@code SettleJob} after the job's reveal deadline</li>
 * </ul>
 */
public final class SweepPlan {

    private SweepPlan() {
    }

    public enum Action { EXPIRE, SETTLE }

    /** An action and the epoch second at which the ledger will accept it. */
    public record Deadline(Action action, long dueAt) {
    }

    public static Optional<Deadline> next(JobView view) {
        var job = view.job();
        if (job.isFinished()) {
            return Optional.empty();
        }
        long margin = job.terms().clockToleranceSeconds() + 1;
        if (job.awaitsMatching()) {
            return Optional.of(new Deadline(Action.EXPIRE, job.latestStart() + margin));
        }
        if (job.phase() == Job.Phase.REVEAL) {
            return Optional.of(new Deadline(Action.SETTLE, job.revealDeadline() + margin));
        }
        var current = view.currentReplicas();
        var uncommitted = current.stream().filter(r -> !r.committed()).mapToLong(r -> r.assignment().commitDeadline()).min();
        if (uncommitted.isPresent()) {
            return Optional.of(new Deadline(Action.EXPIRE, uncommitted.getAsLong() + margin));
        }
        long lastCommit = current.stream().mapToLong(r -> r.commit().committedAt()).max().orElse(job.updatedAt());
        return Optional.of(new Deadline(Action.SETTLE, lastCommit + job.terms().revealWindowSeconds() + margin));
    }

    /** Whether every active replica of the job's current round has revealed: time to settle. */
    public static boolean allRevealed(JobView view) {
        var current = view.currentReplicas();
        return view.job().status() == Job.Status.RUNNING && view.job().phase() != Job.Phase.TIEBREAK
                && !current.isEmpty() && current.stream().allMatch(JobView.ReplicaView::revealed);
    }
}
