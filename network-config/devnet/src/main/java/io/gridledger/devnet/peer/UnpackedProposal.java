package io.gridledger.devnet.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.msp.Identity;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.msp.InvalidIdentityException;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * A transaction proposal taken apart and checked as Fabric 2.5's endorser does ({@code core/endorser/msgvalidation.go}):
 * {@link #unpack} parses it ({@code UnpackProposal}), {@link #validate} checks its header, transaction id, creator and
 * signature ({@code UnpackedProposal.Validate}). Both refuse with Fabric's messages, which reach clients through the
 * Gateway.
 *
 * <pre>{@code
 * var proposal = UnpackedProposal.unpack(signedProposal);
 * Identity creator = proposal.validate(channelMsps);
 * }</pre>
 */
public record UnpackedProposal(
        SignedProposal signed,
        Proposal proposal,
        Header header,
        ChannelHeader channelHeader,
        SignatureHeader signatureHeader,
        ChaincodeProposalPayload payload,
        String chaincodeName,
        ChaincodeInput input) {

    private static final Logger log = LoggerFactory.getLogger(UnpackedProposal.class);

    public String channelId() {
        return channelHeader.getChannelId();
    }

    public String txId() {
        return channelHeader.getTxId();
    }

    public ByteString creator() {
        return signatureHeader.getCreator();
    }

    /**
     * Parses a signed proposal. The chaincode is the one the header's chaincode extension names, as for Fabric's
     * endorser. A proposal may have no channel (the peer CLI's channel-less system chaincode calls); the gateway
     * refuses those with {@link #unpackForChannel}.
     */
    public static UnpackedProposal unpack(SignedProposal signed) throws InvalidProposalException {
        if (signed == null || signed.getProposalBytes().isEmpty()) {
            throw new InvalidProposalException("a signed proposal is required");
        }
        var proposal = parse(Proposal.parser(), signed.getProposalBytes(), "Proposal");
        var header = parse(Header.parser(), proposal.getHeader(), "Header");
        var channelHeader = parse(ChannelHeader.parser(), header.getChannelHeader(), "ChannelHeader");
        var signatureHeader = parse(SignatureHeader.parser(), header.getSignatureHeader(), "SignatureHeader");
        var extension = parse(ChaincodeHeaderExtension.parser(), channelHeader.getExtension(), "ChaincodeHeaderExtension");
        if (!extension.hasChaincodeId()) {
            throw new InvalidProposalException("ChaincodeHeaderExtension.ChaincodeId is nil");
        }
        if (extension.getChaincodeId().getName().isEmpty()) {
            throw new InvalidProposalException("ChaincodeHeaderExtension.ChaincodeId.Name is empty");
        }
        var payload = parse(ChaincodeProposalPayload.parser(), proposal.getPayload(), "ChaincodeProposalPayload");
        var spec = parse(ChaincodeInvocationSpec.parser(), payload.getInput(), "ChaincodeInvocationSpec");
        if (!spec.hasChaincodeSpec()) {
            throw new InvalidProposalException("chaincode invocation spec did not contain chaincode spec");
        }
        if (!spec.getChaincodeSpec().hasInput()) {
            throw new InvalidProposalException("chaincode input did not contain any input");
        }
        return new UnpackedProposal(signed, proposal, header, channelHeader, signatureHeader, payload,
                extension.getChaincodeId().getName(), spec.getChaincodeSpec().getInput());
    }

    /** {@link #unpack}, refusing a proposal without a channel as Fabric's Gateway does. */
    public static UnpackedProposal unpackForChannel(SignedProposal signed) throws InvalidProposalException {
        var proposal = unpack(signed);
        if (proposal.channelId().isEmpty()) {
            throw new InvalidProposalException("no channel id provided");
        }
        return proposal;
    }

    /**
     * Fabric's {@code UnpackedProposal.Validate}: an endorser transaction (or, as Fabric lets through, a config one)
     * of epoch 0 with a nonce and a creator, a transaction id bound to both, and a signature by a creator the
     * channel's MSPs vouch for. Why a creator was refused is logged, not told: the message only names its org.
     *
     * @return the creator
     */
    public Identity validate(IdentityDeserializer msps) throws InvalidProposalException {
        int type = channelHeader.getType();
        if (type != HeaderType.ENDORSER_TRANSACTION_VALUE && type != HeaderType.CONFIG_VALUE) {
            var known = HeaderType.forNumber(type);
            throw new InvalidProposalException("invalid header type " + (known != null ? known.name() : type));
        }
        if (channelHeader.getEpoch() != 0) {
            throw new InvalidProposalException("epoch is non-zero");
        }
        if (signatureHeader.getNonce().isEmpty()) {
            throw new InvalidProposalException("nonce is empty");
        }
        if (signatureHeader.getCreator().isEmpty()) {
            throw new InvalidProposalException("creator is empty");
        }
        var expected = expectedTxId();
        if (!expected.equals(txId())) {
            throw new InvalidProposalException("incorrectly computed txid '" + txId() + "' -- expected '" + expected + "'");
        }
        if (signed.getSignature().isEmpty()) {
            throw new InvalidProposalException("empty signature bytes");
        }
        Identity creator;
        try {
            creator = msps.deserialize(creator());
        } catch (InvalidIdentityException e) {
            log.warn("channel {} tx {}: access denied: {}", channelId(), txId(), e.getMessage());
            throw new InvalidProposalException(e.mspId()
                    .map(org -> "access denied: channel [" + channelId() + "] creator org [" + org + "]")
                    .orElse("access denied: channel [" + channelId() + "] creator org unknown, creator is malformed"));
        }
        if (!creator.verify(signed.getProposalBytes().toByteArray(), signed.getSignature().toByteArray())) {
            log.warn("channel {} tx {}: access denied: the creator's signature over the proposal is not valid",
                    channelId(), txId());
            throw new InvalidProposalException("access denied: channel [" + channelId() + "] creator org ["
                    + creator.mspId() + "]");
        }
        return creator;
    }

    private static <T> T parse(Parser<T> parser, ByteString bytes, String type) throws InvalidProposalException {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidProposalException("error unmarshalling " + type + ": " + e.getMessage());
        }
    }

    /** The transaction id Fabric requires: hex(SHA-256(nonce ‖ creator)). */
    public String expectedTxId() {
        return Envelopes.computeTxId(signatureHeader.getNonce(), signatureHeader.getCreator());
    }

    /** The proposal hash endorsers sign over: of the headers and the proposal payload without transient data. */
    public byte[] proposalHash() {
        return Envelopes.proposalHash(header, payloadWithoutTransient().toByteString());
    }

    /** The proposal payload as it goes into the transaction: the input only, never the transient data. */
    public ChaincodeProposalPayload payloadWithoutTransient() {
        return ChaincodeProposalPayload.newBuilder().setInput(payload.getInput()).build();
    }

    /** A proposal that is malformed or that the peer refuses before running any chaincode. */
    public static final class InvalidProposalException extends Exception {
        public InvalidProposalException(String message) {
            super(message);
        }
    }
}
