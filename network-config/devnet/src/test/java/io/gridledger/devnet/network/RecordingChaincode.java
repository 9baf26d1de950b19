package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.peer.ChaincodeGrpc;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
    private final Server server;

    RecordingChaincode(String label) {
        this.label = label;
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new Service()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Whether a peer asked this server to simulate transaction {@code txId}. */
    boolean simulated(String txId) {
        return simulated.contains(txId);
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private final class Service extends ChaincodeGrpc.ChaincodeImplBase {
        @Override
        public StreamObserver<ChaincodeMessage> connect(StreamObserver<ChaincodeMessage> peer) {
            send(peer, ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTER)
                    .setPayload(ChaincodeID.newBuilder().setName("recording:1.0").build().toByteString()).build());
            return new StreamObserver<>() {
                @Override
                public void onNext(ChaincodeMessage message) {
                    if (message.getType() != ChaincodeMessage.Type.TRANSACTION) {
                        return;
                    }
                    simulated.add(message.getTxid());
                    send(peer, ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.COMPLETED)
                            .setTxid(message.getTxid()).setChannelId(message.getChannelId())
                            .setPayload(Response.newBuilder().setStatus(200).setPayload(answer(message)).build().toByteString())
                            .build());
                }

                @Override
                public void onError(Throwable t) {
                    // the peer went away
                }

                @Override
                public void onCompleted() {
                    synchronized (peer) {
                        peer.onCompleted();
                    }
                }
            };
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

        private void send(StreamObserver<ChaincodeMessage> peer, ChaincodeMessage message) {
            synchronized (peer) {
                peer.onNext(message);
            }
        }
    }
}
