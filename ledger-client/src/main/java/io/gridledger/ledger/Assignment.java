package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A replica assigned to a provider node: the work its agent must start.
 *
 * @param attempt        1, or more after reassignments
 * @param round          0 for an initial replica, 1 for a tie-breaker (which reveals the digest, not a fingerprint)
 * @param commitDeadline epoch second by which the node must commit
 * @param sharedOrg      another replica of the job runs on a node of the same org (the client allowed it)
 */
@Serdeable
public record Assignment(String jobId, int replica, int attempt, int round, String nodeId, String offerId,
                         long commitDeadline, boolean sharedOrg) {

    /** The org of the assigned node: the part of its account before the slash. */
    public String nodeOrg() {
        int slash = nodeId.indexOf('/');
        return slash < 0 ? "" : nodeId.substring(0, slash);
    }

    /** {@code jobId#replica#attempt}: the same on every delivery of this assignment, for idempotent consumers. */
    public String dispatchKey() {
        return jobId + "#" + replica + "#" + attempt;
    }
}
