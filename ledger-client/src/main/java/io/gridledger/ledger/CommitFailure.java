package io.gridledger.ledger;

/**
 * The transaction was ordered into a block but validated invalid: it wrote nothing. {@link #validationCode()} is
 * Fabric's {@code TxValidationCode} name; {@link #isConflict()} ones ({@code MVCC_READ_CONFLICT},
 * {@code PHANTOM_READ_CONFLICT}) are retried with a new proposal.
 */
public final class CommitFailure extends LedgerException {

    private final String validationCode;
    private final long blockNumber;

    public CommitFailure(String transaction, String txId, String validationCode, long blockNumber) {
        super(transaction, txId, "committed invalid as " + validationCode + " in block " + blockNumber, null);
        this.validationCode = validationCode;
        this.blockNumber = blockNumber;
    }

    public String validationCode() {
        return validationCode;
    }

    public long blockNumber() {
        return blockNumber;
    }

    /** A read conflict with a transaction committed after this one was simulated: worth simulating again. */
    public boolean isConflict() {
        return "MVCC_READ_CONFLICT".equals(validationCode) || "PHANTOM_READ_CONFLICT".equals(validationCode);
    }
}
