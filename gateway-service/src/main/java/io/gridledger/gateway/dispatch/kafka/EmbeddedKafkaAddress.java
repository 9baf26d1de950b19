package io.gridledger.gateway.dispatch.kafka;

import io.micronaut.configuration.kafka.config.AbstractKafkaConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Points micronaut-kafka at the embedded broker: every Kafka configuration (the defaults under {@code kafka.*}, each
 * producer's and consumer's) gets the broker's address as {@code bootstrap.servers} when it is created — before any
 * producer, consumer or admin client is made from it. Only with {@code gridledger.kafka.embedded=true} and no
 * {@code kafka.bootstrap.servers} of a real cluster.
 */
@Singleton
@Requires(property = "gridledger.kafka.embedded", value = "true")
@Requires(missingProperty = "kafka.bootstrap.servers")
final class EmbeddedKafkaAddress implements BeanCreatedEventListener<AbstractKafkaConfiguration<?, ?>> {

    private final EmbeddedKafka kafka;

    EmbeddedKafkaAddress(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @Override
    public AbstractKafkaConfiguration<?, ?> onCreated(BeanCreatedEvent<AbstractKafkaConfiguration<?, ?>> event) {
        var configuration = event.getBean();
        configuration.getConfig().put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return configuration;
    }
}
