package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.msp.SigningIdentity;
import io.gridledger.devnet.testing.RwSet;
import io.gridledger.devnet.testing.TransactionBuilder;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Fixtures: well-formed Fabric endorser transactions and chains of blocks holding them. */
final class Transactions {

    static final String CHANNEL = "gridledger";
    static final String CHAINCODE = "gridledger-cc";
    static final long TIMESTAMP_SECONDS = TransactionBuilder.TIMESTAMP.getSeconds();

    private static final Placeholder UNSIGNED_CREATOR = new Placeholder(ByteString.copyFromUtf8("client-of-Org1MSP"));
    private static final Placeholder UNSIGNED_ENDORSER = new Placeholder(ByteString.copyFromUtf8("peer0-of-Org1MSP"));

    private Transactions() {
    }

    /** An endorser transaction writing {@code key}, signed for real by {@code client} and endorsed by {@code endorser}. */
    static Envelope signed(TestSigner client, TestSigner endorser, String key) {
        return build(client, endorser, nonce(key.hashCode()), key);
    }

    /** A structurally valid endorser transaction with placeholder signatures (cheap, for volume). */
    static Envelope unsigned(long sequence) {
        return build(UNSIGNED_CREATOR, UNSIGNED_ENDORSER, nonce(sequence), "asset-" + sequence);
    }

    /** The transaction id of an envelope built here. */
    static String txId(Envelope envelope) {
        return Envelopes.parse(envelope).txId();
    }

    /** {@code count} chained, validated blocks of {@code txPerBlock} unsigned transactions starting at block 0. */
    static List<Block> chain(int count, int txPerBlock) {
        return chainFrom(0, new byte[0], count, txPerBlock);
    }

    static List<Block> chainFrom(long firstNumber, byte[] previousHash, int count, int txPerBlock) {
        var blocks = new ArrayList<Block>(count);
        byte[] previous = previousHash;
        for (long n = firstNumber; n < firstNumber + count; n++) {
            var envelopes = new ArrayList<Envelope>(txPerBlock);
            for (int t = 0; t < txPerBlock; t++) {
                envelopes.add(unsigned(n * 1_000_000 + t));
            }
            var codes = new byte[txPerBlock];
            Arrays.fill(codes, (byte) TxValidationCode.VALID_VALUE);
            Block block = Blocks.withValidationCodes(Blocks.create(n, previous, envelopes), codes);
            blocks.add(block);
            previous = BlockHashes.headerHash(block.getHeader());
        }
        return blocks;
    }

    /** A CONFIG envelope (its data is not a real ConfigEnvelope; only the type matters to the parser). */
    static Envelope config() {
        var header = Header.newBuilder()
                .setChannelHeader(ChannelHeader.newBuilder().setType(HeaderType.CONFIG_VALUE).setChannelId(CHANNEL)
                        .build().toByteString())
                .setSignatureHeader(SignatureHeader.newBuilder().setCreator(UNSIGNED_CREATOR.serialized())
                        .setNonce(nonce(0)).build().toByteString())
                .build();
        return Envelope.newBuilder()
                .setPayload(Payload.newBuilder().setHeader(header).setData(ByteString.copyFromUtf8("config"))
                        .build().toByteString())
                .build();
    }

    private static ByteString nonce(long seed) {
        return ByteString.copyFrom(ByteBuffer.allocate(24).putLong(seed).putLong(~seed).putLong(seed * 31).array());
    }

    private static Envelope build(SigningIdentity client, SigningIdentity endorser, ByteString nonce, String key) {
        return TransactionBuilder.proposedBy(client).channel(CHANNEL).chaincode(CHAINCODE).nonce(nonce)
                .timestamp(TransactionBuilder.TIMESTAMP).args("CreateJob", key)
                .results(RwSet.in(CHAINCODE).write(key, "{\"id\":\"" + key + "\"}").build())
                .event("JobCreated", key).response(200, key)
                .endorsedBy(endorser)
                .envelope();
    }

    /** An identity with placeholder bytes whose signatures are zeros: structurally valid, verifiable by nobody. */
    private record Placeholder(ByteString serialized) implements SigningIdentity {

        @Override
        public String mspId() {
            return "Org1MSP";
        }

        @Override
        public byte[] sign(byte[] message) {
            return new byte[70];
        }
    }
}
