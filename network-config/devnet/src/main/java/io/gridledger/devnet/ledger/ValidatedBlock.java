package io.gridledger.devnet.ledger;

import io.gridledger.devnet.ledger.state.UpdateBatch;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.List;

/** A block's validation outcome: one code per transaction, and the state updates of the valid ones. */
public record ValidatedBlock(List<TxValidationCode> codes, UpdateBatch updates) {

    public ValidatedBlock {
        codes = List.copyOf(codes);
    }
}
