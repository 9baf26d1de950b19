package io.gridledger.gateway.housekeeping;

import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Replica;
import io.gridledger.ledger.ReplicaCommit;
import io.gridledger.ledger.ReplicaReveal;
import io.gridledger.ledger.Resources;
import io.gridledger.ledger.Terms;
import io.gridledger.ledger.Verification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SweepPlanTest {

    private static final long TOLERANCE = 5;

    @Test
    void a_queued_job_expires_after_its_latest_start_plus_the_tolerance() {
        var view = view(Job.Status.QUEUED, Job.Phase.NONE, 0, List.of());
        // deadline 10_000, timeout 600, grace 300: latest start 9_100
        assertThat(SweepPlan.next(view)).hasValue(new SweepPlan.Deadline(SweepPlan.Action.EXPIRE, 9_100 + TOLERANCE + 1));
    }

    @Test
    void in_the_commit_phase_the_earliest_uncommitted_deadline_expires_the_job() {
        var view = view(Job.Status.RUNNING, Job.Phase.COMMIT, 0, List.of(
                replica(0, 0, 2_000, 1_500L, null), replica(1, 0, 2_100, null, null), replica(2, 0, 2_050, null, null)));
        assertThat(SweepPlan.next(view)).hasValue(new SweepPlan.Deadline(SweepPlan.Action.EXPIRE, 2_050 + TOLERANCE + 1));
    }

    @Test
    void once_all_committed_the_reveal_window_after_the_last_commit_settles_it() {
        var view = view(Job.Status.RUNNING, Job.Phase.COMMIT, 0, List.of(
                replica(0, 0, 2_000, 1_500L, null), replica(1, 0, 2_100, 1_700L, null)));
        assertThat(SweepPlan.next(view)).hasValue(new SweepPlan.Deadline(SweepPlan.Action.SETTLE, 1_700 + 300 + TOLERANCE + 1));
        assertThat(SweepPlan.allRevealed(view)).isFalse();
    }

    @Test
    void in_the_reveal_phase_the_jobs_reveal_deadline_settles_it_and_a_finished_job_has_no_deadline() {
        assertThat(SweepPlan.next(view(Job.Status.RUNNING, Job.Phase.REVEAL, 4_000, List.of())))
                .hasValue(new SweepPlan.Deadline(SweepPlan.Action.SETTLE, 4_000 + TOLERANCE + 1));
        assertThat(SweepPlan.next(view(Job.Status.COMPLETED, Job.Phase.NONE, 0, List.of()))).isEmpty();
    }

    @Test
    void replicas_of_an_earlier_round_or_timed_out_do_not_count() {
        var timedOut = new JobView.ReplicaView(new Replica("j", 1, 1, 0, "Org3MSP/node1@x", "Org3MSP", "o", 0, 1, 1, 1_000,
                1_900, Replica.Status.TIMED_OUT), null, null, null);
        var view = view(Job.Status.RUNNING, Job.Phase.COMMIT, 0, List.of(replica(0, 0, 2_000, 1_500L, 1_600L), timedOut));
        assertThat(SweepPlan.allRevealed(view)).isTrue();
        assertThat(SweepPlan.next(view)).hasValue(new SweepPlan.Deadline(SweepPlan.Action.SETTLE, 1_500 + 300 + TOLERANCE + 1));
    }

    private static JobView.ReplicaView replica(int index, int round, long commitDeadline, Long committedAt, Long revealedAt) {
        var replica = new Replica("j", index, 1, round, "Org2MSP/node" + index + "@x", "Org2MSP", "o", 0, 1, 1, 1_000,
                commitDeadline, Replica.Status.ASSIGNED);
        var commit = committedAt == null ? null : new ReplicaCommit("j", index, 1, replica.nodeId(), "c", committedAt);
        var reveal = revealedAt == null ? null : new ReplicaReveal("j", index, 1, replica.nodeId(), "f", 10, revealedAt);
        return new JobView.ReplicaView(replica, commit, reveal, null);
    }

    private static JobView view(Job.Status status, Job.Phase phase, long revealDeadline, List<JobView.ReplicaView> replicas) {
        var spec = new JobSpec("j", "img@sha256:" + "a".repeat(64), List.of(), Map.of(), List.of(),
                new Resources(1000, 100, 0, null, 0, "amd64", Map.of()), 10, 600, Verification.replicated(2, 2), 0, 10_000);
        var job = new Job("j", "Org1MSP/User1@x", "Org1MSP", spec, 1, 1, new Terms(1, 0, 0, 300, 300, TOLERANCE), status, phase,
                0, replicas.size(), 0, 1_000, 1_000, revealDeadline, List.of(), List.of(), false, null, null);
        return new JobView(job, replicas, 1);
    }
}
