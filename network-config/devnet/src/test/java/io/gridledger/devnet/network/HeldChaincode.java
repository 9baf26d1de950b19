package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chaincode-as-a-service server whose timing a test controls: it answers each transaction with an empty
 * success and writes nothing, except that it holds the first simulation of every transaction id (the gateway
 * peer's own) until {@link #release} is called. The other orgs' simulations of the same id are answered at once.
 */
final class HeldChaincode implements AutoCloseable {

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, Runnable> held = new ConcurrentHashMap<>();
    private final ScriptedChaincodeServer server = new ScriptedChaincodeServer("held:1.0", (transaction, complete) -> {
        Runnable completion = () -> complete.accept(ByteString.EMPTY);
        if (seen.add(transaction.getTxid())) {
            held.put(transaction.getTxid(), completion);
        } else {
            completion.run();
        }
    });

    String address() {
        return server.address();
    }

    boolean holds(String txId) {
        return held.containsKey(txId);
    }

    /** Completes the held simulation of {@code txId}. */
    void release(String txId) {
        var completion = held.remove(txId);
        if (completion == null) {
            throw new IllegalStateException("no simulation of " + txId + " is held");
        }
        completion.run();
    }

    @Override
    public void close() {
        server.close();
    }
}
