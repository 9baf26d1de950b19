package io.gridledger.gateway.agents;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A record of the {@code gridledger.node-status} topic, keyed by node id (AGENT-STATUS.md): a provider node's state,
 * sent every {@code intervalMs} and on every change. Unknown fields are ignored.
 *
 * @param state {@code online}, {@code paused}, {@code draining} or {@code offline}
 * @param at    when the agent made it, epoch ms of its clock
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeHeartbeat(String nodeId, @Nullable String offerId, String state, int runningJobs, int capacity,
                            @Nullable NodeResources resources, @Nullable Long intervalMs, long at) {

    /** A node's total resources, with the names of the ledger's {@code Resources}. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "NodeResources")
    public record NodeResources(long cpuMillis, long memoryMiB, int gpuCount, @Nullable String gpuModel, long storageMiB,
                                @Nullable String arch) {
    }
}
