package io.gridledger.devnet.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.msp.SigningIdentity;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds what a Fabric client and its endorsers produce, signed for real: the signed proposal the Gateway SDK sends,
 * and the endorser transaction envelope it submits (the proposal's header, the endorsed chaincode action with its
 * read-write set, each endorsement signed over {@code proposal_response_payload ‖ endorser}, and the creator's
 * signature over the payload). Every part can be set, so that a test can break exactly one.
 *
 * <pre>{@code
 * Envelope tx = TransactionBuilder.proposedBy(client)
 *         .results(RwSet.in("gridledger").write("asset-1", "{}").build())
 *         .endorsedBy(org1Peer, org2Peer)
 *         .envelope();
 * SignedProposal proposal = TransactionBuilder.proposedBy(client).args("GetAsset", "asset-1").signedProposal();
 * }</pre>
 */
public final class TransactionBuilder {

    /** A fixed transaction time: endorsers and tests must not depend on the wall clock. */
    public static final Timestamp TIMESTAMP = Timestamp.newBuilder().setSeconds(1_760_000_000L).setNanos(5).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningIdentity creator;
    private SigningIdentity signer;
    private String channel = Consortium.CHANNEL;
    private String chaincode = Consortium.CHAINCODE;
    private ChaincodeID actionChaincode;
    private int headerType = HeaderType.ENDORSER_TRANSACTION_VALUE;
    private long epoch;
    private ByteString nonce;
    private String txId;
    private Timestamp timestamp = TIMESTAMP;
    private List<ByteString> args = List.of(ByteString.copyFromUtf8("Invoke"));
    private TxReadWriteSet results = RwSet.in(Consortium.CHAINCODE).build();
    private Response response = Response.newBuilder().setStatus(200).build();
    private ChaincodeEvent event;
    private final List<SigningIdentity> endorsers = new ArrayList<>();

    private TransactionBuilder(SigningIdentity creator) {
        this.creator = Objects.requireNonNull(creator, "creator");
        this.signer = creator;
    }

    /** A proposal (and transaction) created by {@code creator}, who also signs it unless {@link #signedBy} says otherwise. */
    public static TransactionBuilder proposedBy(SigningIdentity creator) {
        return new TransactionBuilder(creator);
    }

    /** Signs with another key than the creator's (a forgery). */
    public TransactionBuilder signedBy(SigningIdentity other) {
        this.signer = other;
        return this;
    }

    public TransactionBuilder channel(String channel) {
        this.channel = channel;
        return this;
    }

    /** The chaincode the header names; the chaincode action names it too unless {@link #actionChaincode} is set. */
    public TransactionBuilder chaincode(String chaincode) {
        this.chaincode = chaincode;
        return this;
    }

    /** The chaincode (name and version) the endorsers' chaincode action claims to have run. */
    public TransactionBuilder actionChaincode(String name, String version) {
        this.actionChaincode = ChaincodeID.newBuilder().setName(name).setVersion(version).build();
        return this;
    }

    public TransactionBuilder headerType(int type) {
        this.headerType = type;
        return this;
    }

    public TransactionBuilder epoch(long epoch) {
        this.epoch = epoch;
        return this;
    }

    /** The nonce; the same nonce and creator give the same transaction id (how duplicates are made). */
    public TransactionBuilder nonce(ByteString nonce) {
        this.nonce = nonce;
        return this;
    }

    /** A transaction id other than hex(SHA-256(nonce ‖ creator)). */
    public TransactionBuilder txId(String txId) {
        this.txId = txId;
        return this;
    }

    public TransactionBuilder timestamp(Timestamp timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    /** The chaincode function and its arguments. */
    public TransactionBuilder args(String... args) {
        this.args = Arrays.stream(args).map(ByteString::copyFromUtf8).toList();
        return this;
    }

    public TransactionBuilder results(TxReadWriteSet results) {
        this.results = results;
        return this;
    }

    public TransactionBuilder response(int status, String payload) {
        this.response = Response.newBuilder().setStatus(status).setPayload(ByteString.copyFromUtf8(payload)).build();
        return this;
    }

    public TransactionBuilder event(String name, String payload) {
        this.event = ChaincodeEvent.newBuilder().setEventName(name).setPayload(ByteString.copyFromUtf8(payload)).build();
        return this;
    }

    public TransactionBuilder endorsedBy(SigningIdentity... endorsers) {
        this.endorsers.addAll(List.of(endorsers));
        return this;
    }

    public String txId() {
        return txId != null ? txId : Envelopes.computeTxId(nonce(), creator.serialized());
    }

    /** The nonce: as set, or 24 random bytes drawn once. */
    public ByteString nonce() {
        if (nonce == null) {
            byte[] random = new byte[24];
            RANDOM.nextBytes(random);
            nonce = ByteString.copyFrom(random);
        }
        return nonce;
    }

    public Header header() {
        var extension = ChaincodeHeaderExtension.newBuilder()
                .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode)).build();
        var channelHeader = ChannelHeader.newBuilder().setType(headerType).setChannelId(channel).setTxId(txId())
                .setTimestamp(timestamp).setEpoch(epoch).setExtension(extension.toByteString()).build();
        var signatureHeader = SignatureHeader.newBuilder().setCreator(creator.serialized()).setNonce(nonce()).build();
        return Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                .setSignatureHeader(signatureHeader.toByteString()).build();
    }

    /** The chaincode proposal payload: the invocation spec, as the SDK sends it and the transaction carries it. */
    public ChaincodeProposalPayload proposalPayload() {
        var spec = ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                .setType(ChaincodeSpec.Type.JAVA)
                .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode))
                .setInput(ChaincodeInput.newBuilder().addAllArgs(args))).build();
        return ChaincodeProposalPayload.newBuilder().setInput(spec.toByteString()).build();
    }

    public Proposal proposal() {
        return Proposal.newBuilder().setHeader(header().toByteString())
                .setPayload(proposalPayload().toByteString()).build();
    }

    public SignedProposal signedProposal() {
        var bytes = proposal().toByteString();
        return SignedProposal.newBuilder().setProposalBytes(bytes)
                .setSignature(ByteString.copyFrom(signer.sign(bytes.toByteArray()))).build();
    }

    public Envelope envelope() {
        var header = header();
        var proposalPayload = proposalPayload().toByteString();
        var action = ChaincodeAction.newBuilder()
                .setResults(results.toByteString())
                .setResponse(response)
                .setChaincodeId(actionChaincode != null ? actionChaincode
                        : ChaincodeID.newBuilder().setName(chaincode).setVersion(Consortium.CHAINCODE_VERSION).build());
        if (event != null) {
            action.setEvents(event.toBuilder().setChaincodeId(chaincode).setTxId(txId()).build().toByteString());
        }
        var responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(Envelopes.proposalHash(header, proposalPayload)))
                .setExtension(action.build().toByteString())
                .build().toByteString();
        var endorsed = ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(responsePayload);
        for (var endorser : endorsers) {
            var signature = endorser.sign(responsePayload.concat(endorser.serialized()).toByteArray());
            endorsed.addEndorsements(Endorsement.newBuilder().setEndorser(endorser.serialized())
                    .setSignature(ByteString.copyFrom(signature)));
        }
        var actionPayload = ChaincodeActionPayload.newBuilder().setChaincodeProposalPayload(proposalPayload)
                .setAction(endorsed).build();
        var transaction = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                .setHeader(header.getSignatureHeader()).setPayload(actionPayload.toByteString())).build();
        var payload = Payload.newBuilder().setHeader(header).setData(transaction.toByteString()).build().toByteString();
        return Envelope.newBuilder().setPayload(payload)
                .setSignature(ByteString.copyFrom(signer.sign(payload.toByteArray()))).build();
    }
}
