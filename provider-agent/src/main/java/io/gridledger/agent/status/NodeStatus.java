package io.gridledger.agent.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A node heartbeat: a record of {@code gridledger.node-status}, keyed by node id (gateway-service/AGENT-STATUS.md).
 *
 * @param state online, paused, draining or offline
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeStatus(String nodeId, @Nullable String offerId, String state, int runningJobs, int capacity,
                         Resources resources, long intervalMs, long at) {

    /** The node's total resources, named as the ledger's {@code Resources}. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Resources(long cpuMillis, long memoryMiB, int gpuCount, @Nullable String gpuModel, long storageMiB,
                            String arch) {
    }
}
