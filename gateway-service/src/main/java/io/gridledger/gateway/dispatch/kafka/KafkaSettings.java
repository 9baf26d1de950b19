package io.gridledger.gateway.dispatch.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * This org's Kafka ({@code gridledger.kafka.*}): a cluster by its bootstrap servers, or the embedded one-node broker
 * of the local stack ({@code embedded=true}).
 *
 * @param bootstrapServers  {@code host:port,…} of the org's cluster
 * @param embedded          start an {@link EmbeddedKafka} in this JVM (used when no bootstrap servers are given)
 * @param embeddedDataDir   the embedded broker's storage
 * @param embeddedPort      its port (0: a free one)
 * @param deliveryTimeout   how long a record may take to be acknowledged before the dispatcher retries from its checkpoint
 */
@ConfigurationProperties("gridledger.kafka")
public record KafkaSettings(
        @Nullable String bootstrapServers,
        @Bindable(defaultValue = "false") boolean embedded,
        @Bindable(defaultValue = "data/kafka") String embeddedDataDir,
        @Bindable(defaultValue = "0") int embeddedPort,
        @Bindable(defaultValue = "30s") Duration deliveryTimeout) {
}
