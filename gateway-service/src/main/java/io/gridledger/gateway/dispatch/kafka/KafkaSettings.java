package io.gridledger.gateway.dispatch.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * What GridLedger adds to micronaut-kafka's {@code kafka.*} ({@code gridledger.kafka.*}): the embedded one-node broker
 * of the local stack, used when {@code embedded=true} and {@code kafka.bootstrap.servers} names no cluster, and how
 * long the dispatcher waits for an acknowledgement.
 *
 * @param embedded          start an {@link EmbeddedKafka} in this JVM and point micronaut-kafka at it
 * @param embeddedDataDir   the embedded broker's storage
 * @param embeddedPort      its port (0: a free one)
 * @param deliveryTimeout   how long a record may take to be acknowledged before the dispatcher retries from its checkpoint
 */
@ConfigurationProperties("gridledger.kafka")
public record KafkaSettings(
        @Bindable(defaultValue = "false") boolean embedded,
        @Bindable(defaultValue = "data/kafka") String embeddedDataDir,
        @Bindable(defaultValue = "0") int embeddedPort,
        @Bindable(defaultValue = "30s") Duration deliveryTimeout) {
}
