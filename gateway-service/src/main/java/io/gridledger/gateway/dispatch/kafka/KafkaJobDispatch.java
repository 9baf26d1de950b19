package io.gridledger.gateway.dispatch.kafka;

import io.gridledger.gateway.dispatch.DispatchMessage;
import io.gridledger.gateway.dispatch.JobDispatch;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link JobDispatch} on Kafka: JSON values keyed as the messages say, an idempotent producer with {@code acks=all}
 * and no lingering (a record leaves as soon as it is sent), each batch waited for until acknowledged.
 */
public final class KafkaJobDispatch implements JobDispatch {

    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final Map<DispatchMessage.Topic, String> topics;
    private final JsonMapper json;
    private final Duration deliveryTimeout;

    public KafkaJobDispatch(String bootstrapServers, String clientId, Map<DispatchMessage.Topic, String> topics,
                            JsonMapper json, Duration deliveryTimeout) {
        this.topics = Map.copyOf(topics);
        this.json = json;
        this.deliveryTimeout = deliveryTimeout;
        int timeoutMs = (int) Math.max(1_000, deliveryTimeout.toMillis());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, Math.min(timeoutMs, 10_000)),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs),
                new StringSerializer(), new ByteArraySerializer());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-health"));
    }

    @Override
    public void publish(List<DispatchMessage> messages) {
        var sent = new ArrayList<Future<RecordMetadata>>(messages.size());
        try {
            for (var message : messages) {
                sent.add(producer.send(new ProducerRecord<>(topics.get(message.topic()), message.key(), json.writeValueAsBytes(message))));
            }
            long deadline = System.nanoTime() + deliveryTimeout.toNanos();
            for (var future : sent) {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DispatchException("interrupted while publishing", e);
        } catch (ExecutionException e) {
            throw new DispatchException("Kafka did not acknowledge: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new DispatchException("Kafka did not acknowledge within " + deliveryTimeout, e);
        } catch (IOException e) {
            throw new DispatchException("cannot write a record as JSON", e);
        } catch (RuntimeException e) {
            throw new DispatchException("Kafka refused a record: " + e, e);
        }
    }

    @Override
    public Reachability reach(Duration timeout) {
        try {
            var nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Reachability(!nodes.isEmpty(), nodes.size() + " broker(s); topics " + topics.values());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reachability(false, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return new Reachability(false, "no answer within " + timeout + ": " + e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
