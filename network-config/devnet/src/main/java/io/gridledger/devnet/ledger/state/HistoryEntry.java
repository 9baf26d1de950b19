package io.gridledger.devnet.ledger.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

/** One committed write of a key, as {@code GetHistoryForKey} reports it. */
public record HistoryEntry(String txId, ByteString value, Timestamp timestamp, boolean isDelete, Version version) {
}
