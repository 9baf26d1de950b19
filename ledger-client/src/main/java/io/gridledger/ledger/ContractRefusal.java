package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;

/**
 * The contract refused the transaction (endorsing peers ran it and it threw): a decision, not a fault, so it is never
 * retried. Nothing was written.
 */
public final class ContractRefusal extends LedgerException {

    private final ContractErrorCode code;
    private final String reason;

    public ContractRefusal(String transaction, @Nullable String txId, ContractErrorCode code, String reason) {
        super(transaction, txId, code + ": " + reason, null);
        this.code = code;
        this.reason = reason;
    }

    public ContractErrorCode code() {
        return code;
    }

    /** The contract's message after the code. */
    public String reason() {
        return reason;
    }
}
