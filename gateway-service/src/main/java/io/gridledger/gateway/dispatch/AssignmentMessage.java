package io.gridledger.gateway.dispatch;

import io.gridledger.ledger.Assignment;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Work for one of this org's provider nodes: the value of a record on the assignments topic, keyed by
 * {@link #nodeId()}. Delivered at least once: consumers key their work by {@link #dispatchKey()}
 * ({@code jobId#replica#attempt}), which every redelivery repeats.
 *
 * @param round          0 for an initial replica; 1 for a tie-breaker, which reveals the digest itself
 * @param tieBreaker     {@code round == 1}
 * @param commitDeadline epoch second by which the node must commit its result
 * @param txId           the transaction that assigned it
 * @param blockNumber    the block that transaction committed in
 */
@Serdeable
public record AssignmentMessage(String dispatchKey, String jobId, int replica, int attempt, int round, boolean tieBreaker,
                                String nodeId, String offerId, long commitDeadline, boolean sharedOrg, String txId,
                                long blockNumber) implements DispatchMessage {

    public static AssignmentMessage of(Assignment a, String txId, long blockNumber) {
        return new AssignmentMessage(a.dispatchKey(), a.jobId(), a.replica(), a.attempt(), a.round(), a.round() == 1,
                a.nodeId(), a.offerId(), a.commitDeadline(), a.sharedOrg(), txId, blockNumber);
    }

    @Override
    public Topic topic() {
        return Topic.ASSIGNMENTS;
    }

    @Override
    public String key() {
        return nodeId;
    }
}
