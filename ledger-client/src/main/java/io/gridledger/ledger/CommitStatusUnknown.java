package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;

/**
 * The transaction was submitted but its commit status could not be read in time: it may still commit. Not retried
 * (a second proposal could apply twice what the first did); follow it by its tx id.
 */
public final class CommitStatusUnknown extends LedgerException {

    private final String status;

    public CommitStatusUnknown(String transaction, String txId, String status, String message, @Nullable Throwable cause) {
        super(transaction, txId, status + ": " + message, cause);
        this.status = status;
    }

    public String status() {
        return status;
    }
}
