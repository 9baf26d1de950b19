package io.gridledger.ledger;

/**
 * Told the id of a transaction after it was endorsed and before it goes to the orderer, once per attempt (a read
 * conflict retries with a new proposal, so a new id). A caller that must know later whether a non-idempotent
 * transaction committed ({@code Deposit}, {@code Withdraw}) records the id here durably; if this throws, the
 * transaction is not submitted.
 *
 * <pre>{@code
 * ledger.deposit("Admin", account, 500, txId -> journal.write(key, txId));   // then, after a crash:
 * ledger.transactionStatus("Admin", txId);                                  // VALID: it committed
 * }</pre>
 */
@FunctionalInterface
public interface SubmitObserver {

    SubmitObserver NONE = txId -> { };

    void submitting(String txId);
}
