package io.gridledger.devnet.ledger.blocks;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Where a transaction id was first committed and how it was validated: what the peer's tx-id index answers
 * ({@code GetTransactionByID}, commit status, duplicate tx id checks). {@code validationCode} is
 * {@link TxValidationCode#NOT_VALIDATED} when the block was stored without a {@code TRANSACTIONS_FILTER}.
 */
public record TxLocation(long blockNumber, int txIndex, TxValidationCode validationCode) {

    public boolean isValid() {
        return validationCode == TxValidationCode.VALID;
    }
}
