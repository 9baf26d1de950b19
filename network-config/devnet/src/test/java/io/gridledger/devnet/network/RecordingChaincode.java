package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chaincode-as-a-service server that remembers which transactions it simulated: it answers every transaction with
 * an empty success and writes nothing, except {@code Label}, which it answers with its label (say, the org that runs
 * it). Shows which server a peer's simulation reached.
 */
final class RecordingChaincode implements AutoCloseable {

    private final String label;
    private final Set<String> simulated = ConcurrentHashMap.newKeySet();
    private final ScriptedChaincodeServer server;

    RecordingChaincode(String label) {
        this.label = label;
        this.server = new ScriptedChaincodeServer("recording:1.0", (transaction, complete) -> {
            simulated.add(transaction.getTxid());
            complete.accept(answer(transaction));
        });
    }

    String address() {
        return server.address();
    }

    /** Whether a peer asked this server to simulate transaction {@code txId}. */
    boolean simulated(String txId) {
        return simulated.contains(txId);
    }

    @Override
    public void close() {
        server.close();
    }

    private ByteString answer(ChaincodeMessage transaction) {
        try {
            var args = ChaincodeInput.parseFrom(transaction.getPayload()).getArgsList();
            boolean asksLabel = !args.isEmpty() && args.get(0).toStringUtf8().equals("Label");
            return asksLabel ? ByteString.copyFrom(label, StandardCharsets.UTF_8) : ByteString.EMPTY;
        } catch (InvalidProtocolBufferException e) {
            return ByteString.EMPTY;
        }
    }
}
