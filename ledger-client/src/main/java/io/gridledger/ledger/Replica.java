package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The assignment of one replica of a job to a provider node's slot.
 *
 * @param attempt        1 for the first assignment of this index, +1 per reassignment after a timeout
 * @param round          0 for initial replicas, 1 for tie-breakers
 * @param commitDeadline epoch second by which the node must commit
 */
@Serdeable
public record Replica(String jobId, int index, int attempt, int round, String nodeId, String nodeOrg, String offerId,
                      int slot, long unitPrice, long collateral, long assignedAt, long commitDeadline, Status status) {

    public enum Status { ASSIGNED, TIMED_OUT }

    public boolean isActive() {
        return status == Status.ASSIGNED;
    }
}
