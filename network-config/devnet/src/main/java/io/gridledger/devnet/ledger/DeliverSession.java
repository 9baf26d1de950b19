package io.gridledger.devnet.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.msp.InvalidIdentityException;
import io.gridledger.devnet.policy.ChannelPolicies;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * One Deliver stream, as the peer's {@code protos.Deliver} and the orderer's {@code AtomicBroadcast.Deliver}
 * serve it: each request is a signed {@code DELIVER_SEEK_INFO} envelope, answered in order with the blocks it
 * seeks, then a {@code SUCCESS} status when the seek has a last block; an endless seek follows new blocks as
 * they commit. A malformed seek is {@code BAD_REQUEST}, another channel {@code NOT_FOUND}, an unknown or
 * badly signing creator, or one the channel's Readers policy does not admit, {@code FORBIDDEN}.
 *
 * @param <R> the service's response message ({@code peer.DeliverResponse} or {@code orderer.DeliverResponse})
 */
public final class DeliverSession<R> implements StreamObserver<Envelope> {

    private final ChannelLedger ledger;
    private final IdentityDeserializer msps;
    /** The channel's policies and the one a reader must satisfy (Fabric: {@code event/Block}'s or the orderer's Readers). */
    private final ChannelPolicies policies;
    private final String readers;
    private final ExecutorService streams;
    private final ServerCallStreamObserver<R> call;
    private final Function<Block, R> block;
    private final Function<Status, R> status;
    private volatile BlockFeed feed;

    /**
     * @param block  renders a block as the service sends it (whole, filtered…)
     * @param status renders a final status
     */
    public DeliverSession(ChannelLedger ledger, IdentityDeserializer msps, ChannelPolicies policies, String readers,
                          ExecutorService streams, StreamObserver<R> response, Function<Block, R> block,
                          Function<Status, R> status) {
        this.ledger = ledger;
        this.msps = msps;
        this.policies = policies;
        this.readers = readers;
        this.streams = streams;
        this.call = (ServerCallStreamObserver<R>) response;
        this.block = block;
        this.status = status;
        call.setOnCancelHandler(this::cancelFeed);
    }

    @Override
    public void onNext(Envelope envelope) {
        SeekInfo seek;
        try {
            var payload = Payload.parseFrom(envelope.getPayload());
            var header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            var signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
            if (header.getType() != HeaderType.DELIVER_SEEK_INFO_VALUE) {
                send(Status.BAD_REQUEST);
                return;
            }
            if (!ledger.channelId().equals(header.getChannelId())) {
                send(Status.NOT_FOUND);
                return;
            }
            var creator = msps.deserialize(signatureHeader.getCreator());
            if (!creator.verify(envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray())
                    || !policies.isSatisfied(readers, List.of(creator))) {
                send(Status.FORBIDDEN);
                return;
            }
            seek = SeekInfo.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            send(Status.BAD_REQUEST);
            return;
        } catch (InvalidIdentityException e) {
            send(Status.FORBIDDEN);
            return;
        }
        long height = ledger.height();
        long start = position(seek.getStart(), height);
        long stop = seek.hasStop() ? position(seek.getStop(), height) : Long.MAX_VALUE;
        if (seek.getStop().getTypeCase() == SeekPosition.TypeCase.NEXT_COMMIT) {
            stop = Long.MAX_VALUE;
        }
        if (start > stop) {
            send(Status.BAD_REQUEST);
            return;
        }
        if (seek.getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY && start >= height) {
            send(Status.NOT_FOUND);
            return;
        }
        feed = BlockFeed.start(ledger, start, stop, next -> {
            if (call.isCancelled()) {
                return false;
            }
            synchronized (call) {
                call.onNext(block.apply(next));
            }
            return true;
        }, () -> send(Status.SUCCESS), streams);
    }

    private static long position(SeekPosition position, long height) {
        return switch (position.getTypeCase()) {
            case OLDEST -> 0;
            case SPECIFIED -> position.getSpecified().getNumber();
            case NEXT_COMMIT -> height;
            default -> Math.max(0, height - 1); // NEWEST, or unset as Fabric treats it
        };
    }

    private void send(Status value) {
        synchronized (call) {
            if (!call.isCancelled()) {
                call.onNext(status.apply(value));
            }
        }
    }

    private void cancelFeed() {
        var current = feed;
        if (current != null) {
            current.cancel();
        }
    }

    @Override
    public void onError(Throwable t) {
        cancelFeed();
    }

    @Override
    public void onCompleted() {
        if (feed == null) {
            synchronized (call) {
                call.onCompleted();
            }
        }
    }
}
