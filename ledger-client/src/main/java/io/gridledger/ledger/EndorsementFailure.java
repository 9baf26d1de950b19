package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;

/**
 * The transaction was not endorsed, for a reason other than a refusal: peers unreachable, a deadline, too few
 * endorsers, or endorsers whose results differed ({@link #endorsersDisagreed()}, retried: they simulated against
 * different ledger heights).
 *
 * @see ContractRefusal
 */
public final class EndorsementFailure extends LedgerException {

    private final String status;
    private final boolean endorsersDisagreed;

    public EndorsementFailure(String transaction, @Nullable String txId, String status, String message,
                              boolean endorsersDisagreed, @Nullable Throwable cause) {
        super(transaction, txId, status + ": " + message, cause);
        this.status = status;
        this.endorsersDisagreed = endorsersDisagreed;
    }

    /** The gRPC status name, e.g. {@code ABORTED}, {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}. */
    public String status() {
        return status;
    }

    public boolean endorsersDisagreed() {
        return endorsersDisagreed;
    }

    public boolean timedOut() {
        return "DEADLINE_EXCEEDED".equals(status);
    }
}
