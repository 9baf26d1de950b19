package io.gridledger.devnet.ledger;

import io.gridledger.devnet.ledger.state.UpdateBatch;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.List;

/**
 * A block's validation outcome: one code and one transaction id ({@code ""} when the envelope had none readable)
 * per transaction, and the state updates of the valid ones.
 */
public record ValidatedBlock(List<TxValidationCode> codes, List<String> txIds, UpdateBatch updates) {

    public ValidatedBlock {
        codes = List.copyOf(codes);
        txIds = List.copyOf(txIds);
        if (codes.size() != txIds.size()) {
            throw new IllegalArgumentException("one code and one tx id per transaction");
        }
    }
}
