package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;

/** The endorsed transaction could not be handed to the orderer: it was not submitted and will not commit. */
public final class SubmitFailure extends LedgerException {

    private final String status;

    public SubmitFailure(String transaction, @Nullable String txId, String status, String message, @Nullable Throwable cause) {
        super(transaction, txId, status + ": " + message, cause);
        this.status = status;
    }

    public String status() {
        return status;
    }
}
