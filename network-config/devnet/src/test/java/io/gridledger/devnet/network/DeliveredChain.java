package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.ledger.blocks.BlockHashes;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The channel's blocks as a client reads them from block 0 through the Deliver service, checked on the way: numbered
 * without gaps, each header's previous hash the header hash of the block before, each data hash matching the data,
 * one validation code per transaction. Transactions are read from the raw protobufs, not through devnet's parsers.
 */
record DeliveredChain(List<Tx> transactions) {

    /** A transaction at its place in the chain. */
    record Tx(String txId, long block, int index, TxValidationCode code) {
    }

    /** Blocks 0 to {@code last}; fails the test if they are not a whole, linked chain. */
    static DeliveredChain read(Network network, long last) {
        var transactions = new ArrayList<Tx>();
        byte[] previousHash = new byte[0];
        var request = network.newBlockEventsRequest().startBlock(0).build();
        try (var blocks = request.getEvents(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))) {
            for (long number = 0; number <= last; number++) {
                var block = blocks.next();
                assertThat(block.getHeader().getNumber()).as("block numbers").isEqualTo(number);
                assertThat(block.getHeader().getPreviousHash()).as("previous hash of block %d", number)
                        .isEqualTo(ByteString.copyFrom(previousHash));
                assertThat(block.getHeader().getDataHash()).as("data hash of block %d", number)
                        .isEqualTo(ByteString.copyFrom(BlockHashes.dataHash(block.getData())));
                previousHash = BlockHashes.headerHash(block.getHeader());
                var codes = block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE);
                assertThat(codes.size()).as("validation codes in block %d", number).isEqualTo(block.getData().getDataCount());
                for (int i = 0; i < block.getData().getDataCount(); i++) {
                    transactions.add(new Tx(txId(block.getData().getData(i)), number, i,
                            TxValidationCode.forNumber(codes.byteAt(i) & 0xff)));
                }
            }
        }
        return new DeliveredChain(List.copyOf(transactions));
    }

    /** Where each transaction id first appears (a later copy is a DUPLICATE_TXID), excluding the genesis block. */
    Map<String, Tx> firstOccurrences() {
        var first = new LinkedHashMap<String, Tx>();
        transactions.stream().filter(tx -> tx.block() > 0).forEach(tx -> first.putIfAbsent(tx.txId(), tx));
        return first;
    }

    /** Ids of the valid transactions after the genesis block, in commit order. */
    List<String> validTxIds() {
        return transactions.stream().filter(tx -> tx.block() > 0 && tx.code() == TxValidationCode.VALID)
                .map(Tx::txId).toList();
    }

    private static String txId(ByteString envelope) {
        try {
            var payload = Payload.parseFrom(Envelope.parseFrom(envelope).getPayload());
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("a committed transaction is not a well-formed envelope", e);
        }
    }
}
