package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A GridLedger event as committed on the ledger: the transaction that set it and the block it is in.
 *
 * @param name        the Fabric event name (the payload's {@code type})
 * @param checkpoint  where a reader that processed this event resumes after it
 */
@Serdeable
public record ChaincodeEvent(String name, String txId, long blockNumber, ContractEvent payload) {

    public EventCheckpoint checkpoint() {
        return EventCheckpoint.after(blockNumber, txId);
    }
}
