package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;

import java.util.Optional;

/**
 * A ledger call that did not succeed, by the stage that failed (as the Fabric Gateway SDK reports them), with the
 * transaction it was and its id when one was made. Callers switch over the subtypes:
 *
 * <pre>{@code
 * try {
 *     ledger.settleJob(identity, jobId);
 * } catch (ContractRefusal refusal) {
 *     if (refusal.code() != ContractErrorCode.WRONG_STATE) throw refusal;   // WRONG_STATE: already settled
 * }</pre>
 */
public abstract sealed class LedgerException extends RuntimeException
        permits ContractRefusal, EndorsementFailure, SubmitFailure, CommitFailure, CommitStatusUnknown, LedgerUnavailable {

    private final String transaction;
    private final String txId;

    protected LedgerException(String transaction, @Nullable String txId, String message, @Nullable Throwable cause) {
        super(transaction + (txId == null ? "" : " (tx " + txId + ")") + ": " + message, cause);
        this.transaction = transaction;
        this.txId = txId;
    }

    /** The contract transaction, e.g. {@code SubmitJob}. */
    public String transaction() {
        return transaction;
    }

    /** The Fabric transaction id, when a proposal was made. */
    public Optional<String> txId() {
        return Optional.ofNullable(txId);
    }
}
