package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Fixtures: well-formed Fabric endorser transactions and chains of blocks holding them. */
final class Transactions {

    static final String CHANNEL = "gridledger";
    static final String CHAINCODE = "gridledger-cc";
    static final long TIMESTAMP_SECONDS = 1_760_000_000L;

    private static final ByteString UNSIGNED_CREATOR = ByteString.copyFromUtf8("client-of-Org1MSP");
    private static final ByteString UNSIGNED_ENDORSER = ByteString.copyFromUtf8("peer0-of-Org1MSP");
    private static final ByteString FAKE_SIGNATURE = ByteString.copyFrom(new byte[70]);

    private Transactions() {
    }

    /** An endorser transaction writing {@code key}, signed for real by {@code client} and endorsed by {@code endorser}. */
    static Envelope signed(TestSigner client, TestSigner endorser, String key) {
        return build(client.serialized(), nonce(key.hashCode()), key, client, endorser);
    }

    /** A structurally valid endorser transaction with placeholder signatures (cheap, for volume). */
    static Envelope unsigned(long sequence) {
        return build(UNSIGNED_CREATOR, nonce(sequence), "asset-" + sequence, null, null);
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
                .setSignatureHeader(SignatureHeader.newBuilder().setCreator(UNSIGNED_CREATOR)
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

    private static Envelope build(ByteString creator, ByteString nonce, String key, TestSigner client,
            TestSigner endorser) {
        String txId = Envelopes.computeTxId(nonce, creator);
        var chaincodeId = ChaincodeID.newBuilder().setName(CHAINCODE).build();
        var channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(CHANNEL)
                .setTxId(txId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(TIMESTAMP_SECONDS).setNanos(5))
                .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(chaincodeId).build().toByteString())
                .build();
        ByteString signatureHeader = SignatureHeader.newBuilder().setCreator(creator).setNonce(nonce).build()
                .toByteString();
        var header = Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                .setSignatureHeader(signatureHeader).build();
        ByteString proposalPayload = ChaincodeProposalPayload.newBuilder()
                .setInput(ByteString.copyFromUtf8("CreateJob(" + key + ")")).build().toByteString();
        var results = TxReadWriteSet.newBuilder()
                .setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(CHAINCODE)
                        .setRwset(KVRWSet.newBuilder().addWrites(KVWrite.newBuilder().setKey(key)
                                .setValue(ByteString.copyFromUtf8("{\"id\":\"" + key + "\"}"))).build().toByteString()))
                .build();
        var event = ChaincodeEvent.newBuilder().setChaincodeId(CHAINCODE).setTxId(txId).setEventName("JobCreated")
                .setPayload(ByteString.copyFromUtf8(key)).build();
        var action = ChaincodeAction.newBuilder()
                .setResults(results.toByteString())
                .setEvents(event.toByteString())
                .setResponse(Response.newBuilder().setStatus(200).setPayload(ByteString.copyFromUtf8(key)))
                .setChaincodeId(chaincodeId.toBuilder().setVersion("1.0"))
                .build();
        ByteString responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(Envelopes.proposalHash(header, proposalPayload)))
                .setExtension(action.toByteString())
                .build()
                .toByteString();
        ByteString endorserId = endorser == null ? UNSIGNED_ENDORSER : endorser.serialized();
        ByteString endorsement = endorser == null ? FAKE_SIGNATURE
                : ByteString.copyFrom(endorser.sign(responsePayload.concat(endorserId).toByteArray()));
        var actionPayload = ChaincodeActionPayload.newBuilder()
                .setChaincodeProposalPayload(proposalPayload)
                .setAction(ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(responsePayload)
                        .addEndorsements(Endorsement.newBuilder().setEndorser(endorserId).setSignature(endorsement)))
                .build();
        var transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder().setHeader(signatureHeader)
                        .setPayload(actionPayload.toByteString()))
                .build();
        ByteString payload = Payload.newBuilder().setHeader(header).setData(transaction.toByteString()).build()
                .toByteString();
        ByteString signature = client == null ? FAKE_SIGNATURE : ByteString.copyFrom(client.sign(payload.toByteArray()));
        return Envelope.newBuilder().setPayload(payload).setSignature(signature).build();
    }
}
