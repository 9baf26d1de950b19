package io.gridledger.gateway.dispatch.kafka;

import io.gridledger.gateway.dispatch.DispatchMessage;
import io.gridledger.gateway.dispatch.JobDispatch;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link JobDispatch} on Kafka through micronaut-kafka: JSON values keyed as the messages say, sent with the
 * {@link DispatchProducer} (idempotent, {@code acks=all}, no lingering), the whole batch sent before its
 * acknowledgements are waited for, each within the delivery timeout. Health asks micronaut-kafka's admin client.
 */
final class KafkaJobDispatch implements JobDispatch {

    private final DispatchProducer producer;
    private final AdminClient admin;
    private final Map<DispatchMessage.Topic, String> topics;
    private final JsonMapper json;
    private final Duration deliveryTimeout;

    KafkaJobDispatch(DispatchProducer producer, AdminClient admin, Map<DispatchMessage.Topic, String> topics,
                     JsonMapper json, Duration deliveryTimeout) {
        this.producer = producer;
        this.admin = admin;
        this.topics = Map.copyOf(topics);
        this.json = json;
        this.deliveryTimeout = deliveryTimeout;
    }

    @Override
    public void publish(List<DispatchMessage> messages) {
        var sent = new ArrayList<CompletableFuture<RecordMetadata>>(messages.size());
        try {
            for (var message : messages) {
                sent.add(producer.send(topics.get(message.topic()), message.key(), json.writeValueAsBytes(message)));
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

    /** The producer and the admin client are micronaut-kafka's: it closes them with the context. */
    @Override
    public void close() {
    }
}
