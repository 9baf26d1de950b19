package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;

/** A query (or a call that never reached endorsement) failed for want of the peer: unreachable, a deadline, a fault. */
public final class LedgerUnavailable extends LedgerException {

    private final String status;

    public LedgerUnavailable(String transaction, @Nullable String txId, String status, String message, @Nullable Throwable cause) {
        super(transaction, txId, status + ": " + message, cause);
        this.status = status;
    }

    /** The gRPC status name, e.g. {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}. */
    public String status() {
        return status;
    }

    public boolean timedOut() {
        return "DEADLINE_EXCEEDED".equals(status);
    }
}
