package io.gridledger.gateway.agents;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Optional;

/**
 * A record of the {@code gridledger.agent-status} topic, keyed by job id, exactly as AGENT-STATUS.md defines it.
 * Unknown fields are ignored, so agents may add some.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentStatus(String dispatchKey, String jobId, int replica, int attempt, String nodeId, String step,
                          @Nullable String reason, @Nullable Integer exitCode, long at) {

    /** The step this record reports, or why it is not one: an unknown step or a dispatch key that names another attempt. */
    public Optional<ReplicaProgress> toProgress(StringBuilder why) {
        var parsed = ReplicaStep.parse(step);
        if (parsed.isEmpty()) {
            why.append("unknown step ").append(step);
            return Optional.empty();
        }
        if (jobId == null || nodeId == null || replica < 0 || attempt < 1
                || !(jobId + "#" + replica + "#" + attempt).equals(dispatchKey)) {
            why.append("dispatchKey ").append(dispatchKey).append(" is not jobId#replica#attempt");
            return Optional.empty();
        }
        return Optional.of(new ReplicaProgress(jobId, replica, attempt, nodeId, parsed.get(), reason, exitCode, at,
                ReplicaProgress.Origin.KAFKA));
    }
}
