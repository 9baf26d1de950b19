package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A job with its replicas and its remaining escrow ({@code GetJob}). */
@Serdeable
public record JobView(Job job, List<ReplicaView> replicas, long escrow) {

    /** One replica: its assignment, its node's commitment and reveal when made, its verdict once the job ended. */
    @Serdeable
    public record ReplicaView(Replica assignment, @Nullable ReplicaCommit commit, @Nullable ReplicaReveal reveal,
                              @Nullable Verdict verdict) {

        public boolean committed() {
            return commit != null && commit.attempt() == assignment.attempt();
        }

        public boolean revealed() {
            return committed() && reveal != null && reveal.attempt() == assignment.attempt();
        }
    }

    /** The active replicas of the job's current round: those whose commits and reveals decide it now. */
    public List<ReplicaView> currentReplicas() {
        return replicas.stream().filter(r -> r.assignment().isActive() && r.assignment().round() == job.round()).toList();
    }
}
