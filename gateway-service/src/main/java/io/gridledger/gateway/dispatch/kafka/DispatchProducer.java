package io.gridledger.gateway.dispatch.kafka;

import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Requires;
import io.micronaut.messaging.annotation.MessageBody;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.concurrent.CompletableFuture;

/**
 * The dispatcher's producer, a micronaut-kafka client configured from {@code kafka.*} and
 * {@code kafka.producers.gridledger-dispatch.*} ({@code acks=all}, idempotence, no lingering: application.properties).
 * Each send answers at once with the broker's acknowledgement to come; {@link KafkaJobDispatch} waits for them all.
 */
@KafkaClient(id = DispatchProducer.ID)
@Requires(condition = KafkaConfigured.class)
interface DispatchProducer {

    String ID = "gridledger-dispatch";

    CompletableFuture<RecordMetadata> send(@Topic String topic, @KafkaKey String key, @MessageBody byte[] value);
}
