package io.gridledger.devnet.network;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.peer.ChaincodeGrpc;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
    private final Server server;

    HeldChaincode() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new Service()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
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
        server.shutdownNow();
    }

    private final class Service extends ChaincodeGrpc.ChaincodeImplBase {
        @Override
        public StreamObserver<ChaincodeMessage> connect(StreamObserver<ChaincodeMessage> peer) {
            send(peer, ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTER)
                    .setPayload(ChaincodeID.newBuilder().setName("held:1.0").build().toByteString()).build());
            return new StreamObserver<>() {
                @Override
                public void onNext(ChaincodeMessage message) {
                    if (message.getType() != ChaincodeMessage.Type.TRANSACTION) {
                        return;
                    }
                    Runnable complete = () -> send(peer, ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.COMPLETED)
                            .setTxid(message.getTxid()).setChannelId(message.getChannelId())
                            .setPayload(Response.newBuilder().setStatus(200).build().toByteString()).build());
                    if (seen.add(message.getTxid())) {
                        held.put(message.getTxid(), complete);
                    } else {
                        complete.run();
                    }
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

        private void send(StreamObserver<ChaincodeMessage> peer, ChaincodeMessage message) {
            synchronized (peer) {
                peer.onNext(message);
            }
        }
    }
}
