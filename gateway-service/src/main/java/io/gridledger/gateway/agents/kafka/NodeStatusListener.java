package io.gridledger.gateway.agents.kafka;

import io.gridledger.gateway.agents.AgentStatusSettings;
import io.gridledger.gateway.agents.NodeDirectory;
import io.gridledger.gateway.agents.NodeHeartbeat;
import io.gridledger.gateway.dispatch.kafka.KafkaConfigured;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.messaging.annotation.MessageBody;

import java.time.Clock;
import java.time.Duration;

/**
 * This org's agents' node heartbeats ({@code gridledger.node-status}) into the {@link NodeDirectory}. On start only
 * the last few heartbeat intervals are read again: an older heartbeat could only make a silent node look online.
 */
@KafkaListener(groupId = "${gridledger.agent-status.group-id:gridledger-gateway}-nodes",
        clientId = "gridledger-node-status-${gridledger.fabric.msp-id:local}",
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC)
@Requires(condition = KafkaConfigured.class)
final class NodeStatusListener extends ReplayingListener {

    private final NodeDirectory nodes;
    private final AgentStatusSettings settings;

    NodeStatusListener(NodeDirectory nodes, AgentStatusSettings settings, JsonMapper json, MeterRegistry meters) {
        super(Clock.systemUTC(), json, meters, settings.nodeTopic());
        this.nodes = nodes;
        this.settings = settings;
    }

    @Topic("${gridledger.agent-status.node-topic:gridledger.node-status}")
    void receive(@KafkaKey @Nullable String nodeId, @MessageBody @Nullable byte[] value) {
        decode(nodeId, value, NodeHeartbeat.class).ifPresent(heartbeat -> {
            if (heartbeat.nodeId() == null || heartbeat.state() == null) {
                skipped(nodeId, "a heartbeat without nodeId or state");
            } else {
                count(nodes.record(heartbeat) ? "latest" : "superseded");
            }
        });
    }

    @Override
    Duration replay() {
        return settings.nodeReplay();
    }
}
