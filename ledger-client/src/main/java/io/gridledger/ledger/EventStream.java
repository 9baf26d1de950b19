package io.gridledger.ledger;

import java.util.Iterator;

/**
 * Chaincode events as they commit, in ledger order. {@link #next()} blocks until the next one; {@link #close()} (from
 * any thread) ends the stream, and a blocked {@code next()} then throws.
 */
public interface EventStream extends Iterator<ChaincodeEvent>, AutoCloseable {

    @Override
    void close();
}
