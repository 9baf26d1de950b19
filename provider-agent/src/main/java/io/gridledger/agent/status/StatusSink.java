package io.gridledger.agent.status;

/**
 * Where the agent's status records go (this org's Kafka: {@code status.kafka.KafkaStatusSink}). A record that
 * cannot be delivered is logged and dropped by the caller: status is progress for people, never what the job depends on.
 */
public interface StatusSink {

    void replica(ReplicaStatus status) throws Exception;

    void node(NodeStatus status) throws Exception;
}
