package io.gridledger.gateway.agents.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.ConsumerAware;
import io.micronaut.configuration.kafka.ConsumerSeekAware;
import io.micronaut.configuration.kafka.seek.KafkaSeekOperation;
import io.micronaut.configuration.kafka.seek.KafkaSeeker;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Optional;

/**
 * A listener of an agents' topic whose state lives in memory and is rebuilt from the topic: when partitions are
 * assigned (at start, after a rebalance) each is read again from {@code replay} ago — or from the group's committed
 * offset when that is earlier, so nothing published while the gateway was down is skipped. Records read twice are
 * harmless: the stores take a record only if it is newer than what they have.
 *
 * <p>A record that is not what the topic carries is skipped with one WARN line (no stack trace: it is the publisher's
 * mistake, not the gateway's) and counted in {@code gridledger.agents.records{topic, outcome=skipped}}; the consumer
 * goes on with the next record, so one bad record never blocks a partition.
 */
abstract class ReplayingListener implements ConsumerSeekAware, ConsumerAware<String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayingListener.class);
    static final String METER = "gridledger.agents.records";

    private final Clock clock;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final String topic;
    private volatile Consumer<String, byte[]> consumer;

    ReplayingListener(Clock clock, JsonMapper json, MeterRegistry meters, String topic) {
        this.clock = clock;
        this.json = json;
        this.meters = meters;
        this.topic = topic;
    }

    /** How far back to read again on assignment. */
    abstract Duration replay();

    /** The record's value as {@code type}, or empty (logged, counted) when it is not one. */
    <T> Optional<T> decode(@Nullable String key, @Nullable byte[] value, Class<T> type) {
        if (value == null) {
            skipped(key, "no value (a tombstone)");
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(json.readValue(value, type)).or(() -> {
                skipped(key, "empty value");
                return Optional.empty();
            });
        } catch (IOException | RuntimeException e) {
            skipped(key, "not JSON of a " + type.getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return Optional.empty();
        }
    }

    /** Logs and counts a record that is skipped. */
    void skipped(@Nullable String key, String why) {
        LOG.warn("skipped a record of {} with key {}: {}", topic, key, why);
        count("skipped");
    }

    /** Counts a record taken ({@code latest}) or harmlessly ignored ({@code superseded}). */
    void count(String outcome) {
        meters.counter(METER, "topic", topic, "outcome", outcome).increment();
    }

    @Override
    public void setKafkaConsumer(Consumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions, KafkaSeeker seeker) {
        var kafka = consumer;
        if (kafka == null || partitions.isEmpty()) {
            return;
        }
        long since = clock.millis() - replay().toMillis();
        var query = new HashMap<TopicPartition, Long>();
        partitions.forEach(partition -> query.put(partition, since));
        var byTime = kafka.offsetsForTimes(query);
        var ends = kafka.endOffsets(partitions);
        for (var partition : partitions) {
            long resumeAt = kafka.position(partition);
            var found = byTime.get(partition);
            long replayFrom = found != null ? found.offset() : ends.getOrDefault(partition, resumeAt);
            long from = Math.min(resumeAt, replayFrom);
            seeker.perform(KafkaSeekOperation.seek(partition, from));
            LOG.info("reading {} from offset {} (committed/reset position {}, {} ago at {})", partition, from, resumeAt,
                    replay(), replayFrom);
        }
    }
}
