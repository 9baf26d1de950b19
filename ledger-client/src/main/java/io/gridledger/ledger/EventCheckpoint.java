package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Where a reader of chaincode events resumes: at {@code blockNumber}, after the event of {@code txId} in it (or at the
 * block's start when {@code txId} is absent). Fabric's own checkpoint semantics.
 */
@Serdeable
public record EventCheckpoint(long blockNumber, @Nullable String txId) {

    /** The first block of the channel: every event the ledger has. */
    public static final EventCheckpoint START = new EventCheckpoint(0, null);

    public static EventCheckpoint after(long blockNumber, String txId) {
        return new EventCheckpoint(blockNumber, txId);
    }

    /** From {@code blockNumber}'s first event on. */
    public static EventCheckpoint at(long blockNumber) {
        return new EventCheckpoint(blockNumber, null);
    }
}
