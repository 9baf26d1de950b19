package io.gridledger.devnet.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.ledger.BlockFeed;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.ledger.blocks.MalformedTransactionException;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.msp.InvalidIdentityException;
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
import org.hyperledger.fabric.protos.peer.BlockAndPrivateData;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredChaincodeAction;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.FilteredTransactionActions;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The peer Deliver service ({@code protos.Deliver}): streams committed blocks — whole ({@code Deliver}), filtered
 * to transaction ids, validation codes and event names ({@code DeliverFiltered}), or with (empty) private data
 * ({@code DeliverWithPrivateData}) — for a signed {@code SeekInfo} request, as Fabric's peer does. A seek ending at
 * a block is answered with a final {@code SUCCESS} status; an endless seek follows new blocks as they commit.
 */
public final class DeliverServer extends DeliverGrpc.DeliverImplBase {

    private final ChannelLedger ledger;
    private final IdentityDeserializer msps;
    private final ExecutorService streams;

    public DeliverServer(ChannelLedger ledger, IdentityDeserializer msps, ExecutorService streams) {
        this.ledger = ledger;
        this.msps = msps;
        this.streams = streams;
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> response) {
        return new Session(response, block -> DeliverResponse.newBuilder().setBlock(block).build());
    }

    @Override
    public StreamObserver<Envelope> deliverFiltered(StreamObserver<DeliverResponse> response) {
        return new Session(response, block -> DeliverResponse.newBuilder().setFilteredBlock(filter(block)).build());
    }

    @Override
    public StreamObserver<Envelope> deliverWithPrivateData(StreamObserver<DeliverResponse> response) {
        return new Session(response, block -> DeliverResponse.newBuilder()
                .setBlockAndPrivateData(BlockAndPrivateData.newBuilder().setBlock(block)).build());
    }

    FilteredBlock filter(Block block) {
        var codes = Blocks.validationCodes(block);
        var filtered = FilteredBlock.newBuilder().setChannelId(ledger.channelId()).setNumber(block.getHeader().getNumber());
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            try {
                var tx = Envelopes.parse(block.getData().getData(i));
                var code = i < codes.length ? TxValidationCode.forNumber(codes[i] & 0xff) : TxValidationCode.INVALID_OTHER_REASON;
                var entry = FilteredTransaction.newBuilder().setTxid(tx.txId()).setType(tx.type())
                        .setTxValidationCode(code == null ? TxValidationCode.INVALID_OTHER_REASON : code);
                if (tx.isEndorserTransaction()) {
                    var actions = FilteredTransactionActions.newBuilder();
                    var action = FilteredChaincodeAction.newBuilder();
                    tx.action().event().ifPresent(e -> action.setChaincodeEvent(e.toBuilder().clearPayload()));
                    actions.addChaincodeActions(action);
                    entry.setTransactionActions(actions);
                }
                filtered.addFilteredTransactions(entry);
            } catch (MalformedTransactionException e) {
                filtered.addFilteredTransactions(FilteredTransaction.newBuilder()
                        .setTxValidationCode(e.validationCode()));
            }
        }
        return filtered.build();
    }

    /** One Deliver stream: each request envelope is a seek, answered in order. */
    private final class Session implements StreamObserver<Envelope> {
        private final ServerCallStreamObserver<DeliverResponse> call;
        private final Function<Block, DeliverResponse> render;
        private volatile BlockFeed feed;

        Session(StreamObserver<DeliverResponse> response, Function<Block, DeliverResponse> render) {
            this.call = (ServerCallStreamObserver<DeliverResponse>) response;
            this.render = render;
            call.setOnCancelHandler(() -> {
                var current = feed;
                if (current != null) {
                    current.cancel();
                }
            });
        }

        @Override
        public void onNext(Envelope envelope) {
            SeekInfo seek;
            try {
                var payload = Payload.parseFrom(envelope.getPayload());
                var header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                var signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
                if (header.getType() != HeaderType.DELIVER_SEEK_INFO_VALUE) {
                    status(Status.BAD_REQUEST);
                    return;
                }
                if (!ledger.channelId().equals(header.getChannelId())) {
                    status(Status.NOT_FOUND);
                    return;
                }
                var creator = msps.deserialize(signatureHeader.getCreator());
                if (!creator.verify(envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray())) {
                    status(Status.FORBIDDEN);
                    return;
                }
                seek = SeekInfo.parseFrom(payload.getData());
            } catch (InvalidProtocolBufferException e) {
                status(Status.BAD_REQUEST);
                return;
            } catch (InvalidIdentityException e) {
                status(Status.FORBIDDEN);
                return;
            }
            long height = ledger.height();
            long start = position(seek.getStart(), height);
            long stop = seek.hasStop() ? position(seek.getStop(), height) : Long.MAX_VALUE;
            if (seek.getStop().getTypeCase() == SeekPosition.TypeCase.NEXT_COMMIT) {
                stop = Long.MAX_VALUE;
            }
            if (start > stop) {
                status(Status.BAD_REQUEST);
                return;
            }
            if (seek.getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY && start >= height) {
                status(Status.NOT_FOUND);
                return;
            }
            feed = BlockFeed.start(ledger, start, stop, block -> {
                if (call.isCancelled()) {
                    return false;
                }
                synchronized (call) {
                    call.onNext(render.apply(block));
                }
                return true;
            }, () -> status(Status.SUCCESS), streams);
        }

        private long position(SeekPosition position, long height) {
            return switch (position.getTypeCase()) {
                case OLDEST -> 0;
                case SPECIFIED -> position.getSpecified().getNumber();
                case NEXT_COMMIT -> height;
                default -> Math.max(0, height - 1); // NEWEST, or unset as Fabric treats it
            };
        }

        private void status(Status status) {
            synchronized (call) {
                if (!call.isCancelled()) {
                    call.onNext(DeliverResponse.newBuilder().setStatus(status).build());
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            var current = feed;
            if (current != null) {
                current.cancel();
            }
        }

        @Override
        public void onCompleted() {
            var current = feed;
            if (current == null) {
                synchronized (call) {
                    call.onCompleted();
                }
            }
        }
    }
}
