package io.gridledger.devnet.ledger;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** How a committed transaction was judged, and in which block. */
public record TxStatus(TxValidationCode code, long blockNumber) {
}
