package io.gridledger.gateway.testkit;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads a topic of the test broker from its beginning, as a consumer would: every record with its key, JSON value
 * and the broker's timestamp.
 *
 * <pre>{@code
 * try (var reader = TopicReader.open("org2.assignments")) {
 *     var records = reader.until(rs -> rs.size() >= 2, Duration.ofSeconds(20));
 * }
 * }</pre>
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Message> read = new ArrayList<>();

    private TopicReader(KafkaConsumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    public static TopicReader open(String topic) {
        var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.shared().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, true),
                new StringDeserializer(), new ByteArrayDeserializer());
        var deadline = Instant.now().plusSeconds(30);
        var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        }
        var assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return new TopicReader(consumer);
    }

    /** Polls until the records read so far satisfy {@code done}, or fails after {@code timeout}; returns them all. */
    public List<Message> until(Predicate<List<Message>> done, Duration timeout) {
        var deadline = Instant.now().plus(timeout);
        while (!done.test(read)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("records did not arrive within " + timeout + "; read: " + read);
            }
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(read);
    }

    /** Everything that arrives within {@code window} more. */
    public List<Message> drain(Duration window) {
        var deadline = Instant.now().plus(window);
        while (Instant.now().isBefore(deadline)) {
            poll(Duration.ofMillis(100));
        }
        return List.copyOf(read);
    }

    private void poll(Duration duration) {
        for (var record : consumer.poll(duration)) {
            try {
                read.add(new Message(record.key(), ObjectMapper.getDefault().readValue(record.value(), JsonNode.class),
                        record.timestamp(), System.currentTimeMillis()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }

    /**
     * One record.
     *
     * @param timestamp  the record's timestamp (the producer's send time)
     * @param receivedAt when this reader got it
     */
    public record Message(String key, JsonNode value, long timestamp, long receivedAt) {

        public String text(String field) {
            var node = value.get(field);
            return node == null || node.isNull() ? null : node.coerceStringValue();
        }

        public String jobId() {
            return text("jobId");
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }
}
