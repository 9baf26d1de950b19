package io.gridledger.gateway.agents;

import io.micronaut.core.annotation.Nullable;

import java.util.Objects;

/**
 * One step of one attempt of a replica, as a provider agent reported it — from this org's agents over Kafka, or from
 * another org's agent over the node exchange ({@link Origin}). Progress, not proof: the ledger settles.
 *
 * @param at when the step happened, epoch ms of the agent's clock
 */
public record ReplicaProgress(String jobId, int replica, int attempt, String nodeId, ReplicaStep step,
                              @Nullable String reason, @Nullable Integer exitCode, long at, Origin origin) {

    /** Where a step came from. */
    public enum Origin { KAFKA, EXCHANGE }

    public ReplicaProgress {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(origin, "origin");
        if (replica < 0 || attempt < 1) {
            throw new IllegalArgumentException("replica " + replica + ", attempt " + attempt + " of job " + jobId);
        }
    }

    /** {@code jobId#replica#attempt}, the assignment's dispatch key. */
    public String dispatchKey() {
        return jobId + "#" + replica + "#" + attempt;
    }

    /**
     * Whether this step replaces {@code current} as the replica's latest: a later attempt always does, an earlier one
     * never; within an attempt the later {@code (at, step)} does, unless the attempt already ended. A duplicate does not.
     */
    public boolean supersedes(ReplicaProgress current) {
        if (attempt != current.attempt) {
            return attempt > current.attempt;
        }
        if (current.step.endsAttempt()) {
            return false;
        }
        return at > current.at || (at == current.at && step.ordinal() > current.step.ordinal());
    }
}
