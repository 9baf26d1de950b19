package io.gridledger.agent.work.kafka;

import io.gridledger.agent.work.AssignmentIntake;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.messaging.Acknowledgement;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;

/**
 * This org's assignments topic → {@link AssignmentIntake}, one record at a time. The node reads the whole topic in a
 * consumer group of its own (records are keyed by node id; the intake keeps its own). Offsets are committed by hand,
 * only after the intake returned (the acceptance journalled, or the record judged not to need one); a failure (ledger
 * or journal unavailable) leaves the offset and the same record is tried again with a growing delay. The consumer
 * starts paused: the agent resumes it once recovery is done.
 */
@KafkaListener(clientId = AssignmentListener.CLIENT_ID,
        groupId = "gridledger-agent.${gridledger.fabric.msp-id}.${gridledger.agent.identity}",
        offsetReset = OffsetReset.EARLIEST, offsetStrategy = OffsetStrategy.DISABLED, autoStartup = false,
        errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_EXPONENTIALLY_ON_ERROR, retryDelay = "500ms",
                retryCount = 1000, handleAllExceptions = true),
        properties = {
                @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "1"),
                // Static membership (KIP-345): an agent restarted after a crash takes its predecessor's place in the
                // group at once, instead of waiting for the dead member's session to time out (45 s by default),
                // which let assignments sit past their commit deadline.
                @Property(name = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                        value = "${gridledger.fabric.msp-id}.${gridledger.agent.identity}"),
                @Property(name = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, value = "15000")})
public final class AssignmentListener {

    public static final String CLIENT_ID = "gridledger-agent-assignments";

    private final AssignmentIntake intake;

    AssignmentListener(AssignmentIntake intake) {
        this.intake = intake;
    }

    @Topic("${gridledger.agent.assignments-topic:gridledger.assignments}")
    void receive(ConsumerRecord<String, String> record, Acknowledgement acknowledgement) throws IOException {
        intake.receive(record.key(), record.value());
        acknowledgement.ack();
    }
}
