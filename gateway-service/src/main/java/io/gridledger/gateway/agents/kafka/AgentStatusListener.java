package io.gridledger.gateway.agents.kafka;

import io.gridledger.gateway.agents.AgentProgress;
import io.gridledger.gateway.agents.AgentStatus;
import io.gridledger.gateway.agents.AgentStatusSettings;
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
 * This org's agents' replica steps ({@code gridledger.agent-status}) into {@link AgentProgress}. Offsets are committed
 * after each polled batch was taken; a record that is not a valid step is logged and skipped, never retried forever.
 */
@KafkaListener(groupId = "${gridledger.agent-status.group-id:gridledger-gateway}",
        clientId = "gridledger-agent-status-${gridledger.fabric.msp-id:local}",
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.SYNC)
@Requires(condition = KafkaConfigured.class)
final class AgentStatusListener extends ReplayingListener {

    private final AgentProgress progress;
    private final AgentStatusSettings settings;

    AgentStatusListener(AgentProgress progress, AgentStatusSettings settings, JsonMapper json, MeterRegistry meters) {
        super(Clock.systemUTC(), json, meters, settings.topic());
        this.progress = progress;
        this.settings = settings;
    }

    @Topic("${gridledger.agent-status.topic:gridledger.agent-status}")
    void receive(@KafkaKey @Nullable String jobId, @MessageBody @Nullable byte[] value) {
        decode(jobId, value, AgentStatus.class).ifPresent(status -> {
            var why = new StringBuilder();
            status.toProgress(why).ifPresentOrElse(
                    step -> count(progress.record(step).isPresent() ? "latest" : "superseded"),
                    () -> skipped(jobId, why.toString()));
        });
    }

    @Override
    Duration replay() {
        return settings.replay();
    }
}
