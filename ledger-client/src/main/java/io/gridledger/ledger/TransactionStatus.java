package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Where a transaction ended up on the ledger ({@link Ledger#transactionStatus}): in a block, validated as
 * {@code validationCode} (Fabric's {@code TxValidationCode} name, {@code VALID} when it wrote its results).
 */
@Serdeable
public record TransactionStatus(String txId, String validationCode) {

    public boolean isValid() {
        return "VALID".equals(validationCode);
    }
}
