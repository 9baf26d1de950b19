package io.gridledger.gateway.testkit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes what a provider agent publishes (gateway-service/AGENT-STATUS.md) with a plain Kafka producer, each record
 * waited for until the broker acknowledged it: replica steps keyed by job id, node heartbeats keyed by node id. The
 * JSON is written out here by hand, as an agent in another codebase would.
 *
 * <pre>{@code
 * try (var agent = AgentPublisher.open(bootstrap, "t.agent-status", "t.node-status")) {
 *     agent.step("j-1", 0, 1, "Org1MSP/node1@org1.gridledger.example", "running", null, null, at);
 * }
 * }</pre>
 */
public final class AgentPublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String statusTopic;
    private final String nodeTopic;

    private AgentPublisher(KafkaProducer<String, String> producer, String statusTopic, String nodeTopic) {
        this.producer = producer;
        this.statusTopic = statusTopic;
        this.nodeTopic = nodeTopic;
    }

    public static AgentPublisher open(String bootstrapServers, String statusTopic, String nodeTopic) {
        return new AgentPublisher(new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer()), statusTopic, nodeTopic);
    }

    /** One replica step; {@code reason} and {@code exitCode} may be null. */
    public void step(String jobId, int replica, int attempt, String nodeId, String step, String reason, Integer exitCode,
                     long at) {
        var json = "{\"dispatchKey\":\"" + jobId + "#" + replica + "#" + attempt + "\",\"jobId\":\"" + jobId
                + "\",\"replica\":" + replica + ",\"attempt\":" + attempt + ",\"nodeId\":\"" + nodeId
                + "\",\"step\":\"" + step + "\",\"reason\":" + quoted(reason) + ",\"exitCode\":" + exitCode
                + ",\"at\":" + at + "}";
        send(statusTopic, jobId, json);
    }

    /** One node heartbeat. */
    public void heartbeat(String nodeId, String offerId, String state, int runningJobs, int capacity, long intervalMs,
                          long at) {
        var json = "{\"nodeId\":\"" + nodeId + "\",\"offerId\":" + quoted(offerId) + ",\"state\":\"" + state
                + "\",\"runningJobs\":" + runningJobs + ",\"capacity\":" + capacity
                + ",\"resources\":{\"cpuMillis\":8000,\"memoryMiB\":16384,\"gpuCount\":0,\"gpuModel\":null,"
                + "\"storageMiB\":100000,\"arch\":\"amd64\"},\"intervalMs\":" + intervalMs + ",\"at\":" + at + "}";
        send(nodeTopic, nodeId, json);
    }

    /** Any value, e.g. one that is not a status at all, or null (a tombstone). */
    public void raw(String topic, String key, String value) {
        send(topic, key, value);
    }

    private void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("not acknowledged: " + topic + " " + value, e);
        }
    }

    private static String quoted(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
