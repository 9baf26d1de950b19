package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/** A provider node's offer as the ledger records it. */
@Serdeable
public record Offer(String offerId, String nodeId, String org, Resources slot, int slots, long unitPrice, long stake,
                    Status status, long createdAt, long updatedAt) {

    public enum Status { ACTIVE, PAUSED, WITHDRAWN }

    public String resourceClass() {
        return slot.resourceClass();
    }
}
