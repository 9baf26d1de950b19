package io.gridledger.chaincode.testing;

import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Query results fetched from a snapshot when the query ran, so later commits never change what the
 * transaction iterates. Like the shim's iterator it is single-pass: every {@link #iterator()} continues the same
 * cursor, and after {@link #close()} nothing more is returned.
 */
final class ListQueryResultsIterator<T> implements QueryResultsIterator<T>, QueryResultsIteratorWithMetadata<T> {

    private final Iterator<T> cursor;
    private final QueryResponseMetadata metadata;
    private boolean closed;

    ListQueryResultsIterator(List<T> results, QueryResponseMetadata metadata) {
        this.cursor = List.copyOf(results).iterator();
        this.metadata = metadata;
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !closed && cursor.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return cursor.next();
            }
        };
    }

    @Override
    public QueryResponseMetadata getMetadata() {
        return metadata;
    }

    @Override
    public void close() {
        closed = true;
    }
}
