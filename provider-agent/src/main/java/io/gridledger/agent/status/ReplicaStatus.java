package io.gridledger.agent.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One step of a replica on this node: a record of {@code gridledger.agent-status}, keyed by job id, exactly as
 * gateway-service/AGENT-STATUS.md defines it (nulls are written, as its example shows).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReplicaStatus(String dispatchKey, String jobId, int replica, int attempt, String nodeId, String step,
                            @Nullable String reason, @Nullable Integer exitCode, long at) {
}
