package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;
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
import java.util.function.Consumer;

/**
 * A chaincode-as-a-service server whose answers a test scripts: it registers as {@code chaincodeId} when a peer
 * connects, then hands each TRANSACTION to {@code script} with a way to complete it (status 200 and the given payload),
 * now or later. It never asks the peer for state, so its transactions read and write nothing.
 */
final class ScriptedChaincodeServer implements AutoCloseable {

    /** What the server does with a transaction; {@code complete} may be called from any thread, once. */
    interface Script {
        void transaction(ChaincodeMessage transaction, Consumer<ByteString> complete);
    }

    private final Server server;

    ScriptedChaincodeServer(String chaincodeId, Script script) {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new Service(chaincodeId, script)).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private static final class Service extends ChaincodeGrpc.ChaincodeImplBase {
        private final String chaincodeId;
        private final Script script;

        Service(String chaincodeId, Script script) {
            this.chaincodeId = chaincodeId;
            this.script = script;
        }

        @Override
        public StreamObserver<ChaincodeMessage> connect(StreamObserver<ChaincodeMessage> peer) {
            send(peer, ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTER)
                    .setPayload(ChaincodeID.newBuilder().setName(chaincodeId).build().toByteString()).build());
            return new StreamObserver<>() {
                @Override
                public void onNext(ChaincodeMessage message) {
                    if (message.getType() == ChaincodeMessage.Type.TRANSACTION) {
                        script.transaction(message, payload -> send(peer, ChaincodeMessage.newBuilder()
                                .setType(ChaincodeMessage.Type.COMPLETED).setTxid(message.getTxid())
                                .setChannelId(message.getChannelId())
                                .setPayload(Response.newBuilder().setStatus(200).setPayload(payload).build().toByteString())
                                .build()));
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

        private static void send(StreamObserver<ChaincodeMessage> peer, ChaincodeMessage message) {
            synchronized (peer) {
                peer.onNext(message);
            }
        }
    }
}
