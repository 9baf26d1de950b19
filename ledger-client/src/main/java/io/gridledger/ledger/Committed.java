package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What a submitted transaction returned, once it committed valid: its result, its transaction id and its block.
 *
 * @param value the transaction's result as the contract returned it
 */
@Serdeable
public record Committed<T>(T value, String txId, long blockNumber) {
}
