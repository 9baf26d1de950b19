package io.gridledger.agent.status.kafka;

import io.gridledger.agent.status.NodeStatus;
import io.gridledger.agent.status.ReplicaStatus;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The agent's Kafka producer: acks from all replicas, idempotent, as AGENT-STATUS.md asks; each send waits for its ack. */
@KafkaClient(id = "gridledger-agent-status", acks = KafkaClient.Acknowledge.ALL, properties = {
        @Property(name = ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, value = "true"),
        @Property(name = ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, value = "30000"),
        @Property(name = ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, value = "10000"),
        @Property(name = ProducerConfig.LINGER_MS_CONFIG, value = "0"),
        @Property(name = ProducerConfig.MAX_BLOCK_MS_CONFIG, value = "10000")})
interface StatusProducer {

    @Topic("${gridledger.agent.status-topic:gridledger.agent-status}")
    void replica(@KafkaKey String jobId, ReplicaStatus status);

    @Topic("${gridledger.agent.node-status-topic:gridledger.node-status}")
    void node(@KafkaKey String nodeId, NodeStatus status);
}
