package io.gridledger.agent.status.kafka;

import io.gridledger.agent.status.NodeStatus;
import io.gridledger.agent.status.ReplicaStatus;
import io.gridledger.agent.status.StatusSink;
import jakarta.inject.Singleton;

/** {@link StatusSink} on this org's Kafka: replica steps keyed by job id, heartbeats keyed by node id. */
@Singleton
final class KafkaStatusSink implements StatusSink {

    private final StatusProducer producer;

    KafkaStatusSink(StatusProducer producer) {
        this.producer = producer;
    }

    @Override
    public void replica(ReplicaStatus status) {
        producer.replica(status.jobId(), status);
    }

    @Override
    public void node(NodeStatus status) {
        producer.node(status.nodeId(), status);
    }
}
