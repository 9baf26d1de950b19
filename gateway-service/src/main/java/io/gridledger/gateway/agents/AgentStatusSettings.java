package io.gridledger.gateway.agents;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * How the gateway follows its provider agents ({@code gridledger.agent-status.*}).
 *
 * @param topic             the agents' replica steps, keyed by job id
 * @param nodeTopic         the agents' node heartbeats, keyed by node id
 * @param groupId           this gateway's consumer group: its own for each gateway instance (each keeps all steps)
 * @param replay            on start, steps are read again from this far back (or from the committed offset, if
 *                          earlier), so the latest step of every replica still running is known after a restart
 * @param missedHeartbeats  a node is offline once this many of its heartbeat intervals passed without one
 * @param heartbeatInterval the interval assumed for a heartbeat that does not say its own
 * @param maxJobs           jobs whose replicas' latest steps are kept (least recently changed dropped first)
 * @param maxNodes          nodes kept
 */
@ConfigurationProperties("gridledger.agent-status")
public record AgentStatusSettings(
        @Bindable(defaultValue = "gridledger.agent-status") @NotBlank String topic,
        @Bindable(defaultValue = "gridledger.node-status") @NotBlank String nodeTopic,
        @Bindable(defaultValue = "gridledger-gateway") @NotBlank String groupId,
        @Bindable(defaultValue = "6h") Duration replay,
        @Bindable(defaultValue = "3") @Min(1) int missedHeartbeats,
        @Bindable(defaultValue = "10s") Duration heartbeatInterval,
        @Bindable(defaultValue = "10000") @Min(1) int maxJobs,
        @Bindable(defaultValue = "10000") @Min(1) int maxNodes) {

    /** How far back heartbeats are read again on start: what can still make a node online. */
    public Duration nodeReplay() {
        return heartbeatInterval.multipliedBy(missedHeartbeats);
    }
}
