package io.gridledger.chaincode.testing;

import org.hyperledger.fabric.shim.ledger.KeyModification;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a key's history: the transaction that wrote or deleted it, the transaction's timestamp and the
 * value written (empty for a delete, as the peer returns it).
 */
final class LedgerKeyModification implements KeyModification {

    private final String txId;
    private final byte[] value;
    private final Instant timestamp;
    private final boolean deleted;

    LedgerKeyModification(CommittedState.HistoryEntry entry) {
        this.txId = Objects.requireNonNull(entry.txId(), "txId");
        this.value = entry.value().clone();
        this.timestamp = Objects.requireNonNull(entry.timestamp(), "timestamp");
        this.deleted = entry.deleted();
    }

    @Override
    public String getTxId() {
        return txId;
    }

    @Override
    public byte[] getValue() {
        return value.clone();
    }

    @Override
    public String getStringValue() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public Instant getTimestamp() {
        return timestamp;
    }

    @Override
    public boolean isDeleted() {
        return deleted;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LedgerKeyModification that && txId.equals(that.txId)
                && Arrays.equals(value, that.value) && timestamp.equals(that.timestamp) && deleted == that.deleted;
    }

    @Override
    public int hashCode() {
        return Objects.hash(txId, Arrays.hashCode(value), timestamp, deleted);
    }

    @Override
    public String toString() {
        return txId + "@" + timestamp + (deleted ? " deleted" : " " + getStringValue());
    }
}
