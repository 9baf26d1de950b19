package io.gridledger.agent;

import java.util.Objects;

/**
 * One assignment of a job to this node: the job, the replica index the contract gave this node, and the attempt
 * (a reassigned replica is a new attempt). Everything the agent journals and every container it runs is keyed so.
 */
public record JobKey(String jobId, int replica, int attempt) {

    public JobKey {
        Objects.requireNonNull(jobId, "jobId");
        if (jobId.isBlank()) {
            throw new IllegalArgumentException("jobId must not be blank");
        }
        if (replica < 0 || attempt < 0) {
            throw new IllegalArgumentException("replica and attempt must be >= 0");
        }
    }

    @Override
    public String toString() {
        return jobId + "#" + replica + "#" + attempt;
    }
}
