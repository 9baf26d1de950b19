package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

/** One change in a job's history ({@code GetJobHistory}): which asset, by which transaction, when, its new value. */
@Serdeable
public record HistoryEntry(String asset, String txId, long timestamp, boolean deleted, @Nullable JsonNode value) {
}
