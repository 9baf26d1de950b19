package io.gridledger.devnet.peer;

import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.DeliverSession;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.ledger.blocks.MalformedTransactionException;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.policy.ChannelPolicies;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
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
 * ({@code DeliverWithPrivateData}) — for a signed {@code SeekInfo} request, as Fabric's peer does
 * (see {@link DeliverSession}).
 */
public final class DeliverServer extends DeliverGrpc.DeliverImplBase {

    private final ChannelLedger ledger;
    private final IdentityDeserializer msps;
    private final ChannelPolicies policies;
    private final ExecutorService streams;

    public DeliverServer(ChannelLedger ledger, IdentityDeserializer msps, ChannelPolicies policies,
                         ExecutorService streams) {
        this.ledger = ledger;
        this.msps = msps;
        this.policies = policies;
        this.streams = streams;
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> response) {
        return session(response, block -> DeliverResponse.newBuilder().setBlock(block).build());
    }

    @Override
    public StreamObserver<Envelope> deliverFiltered(StreamObserver<DeliverResponse> response) {
        return session(response, block -> DeliverResponse.newBuilder().setFilteredBlock(filter(block)).build());
    }

    @Override
    public StreamObserver<Envelope> deliverWithPrivateData(StreamObserver<DeliverResponse> response) {
        return session(response, block -> DeliverResponse.newBuilder()
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

    private DeliverSession<DeliverResponse> session(StreamObserver<DeliverResponse> response,
                                                    Function<Block, DeliverResponse> render) {
        return new DeliverSession<>(ledger, msps, policies, ChannelPolicies.APPLICATION_READERS, streams, response, render,
                status -> DeliverResponse.newBuilder().setStatus(status).build());
    }
}
