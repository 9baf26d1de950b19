package io.gridledger.devnet.orderer;

import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.DeliverSession;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.policy.ChannelPolicies;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

import java.util.concurrent.ExecutorService;

/**
 * The orderer's {@code orderer.AtomicBroadcast} service, for clients that talk to the ordering service
 * themselves (the {@code peer} CLI, Fabric's older SDKs) instead of through a peer's Gateway: {@code Broadcast}
 * answers each envelope with the {@link Orderer}'s verdict, in order; {@code Deliver} streams the channel's
 * blocks like the peer's Deliver.
 */
public final class AtomicBroadcastServer extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {

    private final Orderer orderer;
    private final ChannelLedger ledger;
    private final IdentityDeserializer msps;
    private final ChannelPolicies policies;
    private final ExecutorService streams;

    public AtomicBroadcastServer(Orderer orderer, ChannelLedger ledger, IdentityDeserializer msps, ChannelPolicies policies,
                         ExecutorService streams) {
        this.orderer = orderer;
        this.ledger = ledger;
        this.msps = msps;
        this.policies = policies;
        this.streams = streams;
    }

    @Override
    public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> response) {
        return new StreamObserver<>() {
            @Override
            public void onNext(Envelope envelope) {
                response.onNext(orderer.broadcast(envelope));
            }

            @Override
            public void onError(Throwable t) {
                // The client went away; nothing is pending on this stream.
            }

            @Override
            public void onCompleted() {
                response.onCompleted();
            }
        };
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> response) {
        return new DeliverSession<>(ledger, msps, policies, ChannelPolicies.CHANNEL_READERS, streams, response,
                block -> DeliverResponse.newBuilder().setBlock(block).build(),
                status -> DeliverResponse.newBuilder().setStatus(status).build());
    }
}
