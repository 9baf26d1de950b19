package io.gridledger.gateway.dispatch;

import io.gridledger.ledger.ChaincodeEvent;

/**
 * Told of every chaincode event after the dispatcher published and checkpointed it (housekeeping). It must return
 * quickly: it is called on the dispatcher's thread.
 */
public interface LedgerEventListener {

    void onEvent(ChaincodeEvent event);
}
