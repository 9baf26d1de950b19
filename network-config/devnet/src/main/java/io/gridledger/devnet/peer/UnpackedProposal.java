package io.gridledger.devnet.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.ledger.blocks.Envelopes;
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


/**
 * A transaction proposal taken apart, as Fabric's {@code UnpackProposal} does. {@link #unpack} refuses anything
 * that is not a well-formed endorser-transaction proposal naming a chaincode.
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

    public String channelId() {
        return channelHeader.getChannelId();
    }

    public String txId() {
        return channelHeader.getTxId();
    }

    public ByteString creator() {
        return signatureHeader.getCreator();
    }

    public static UnpackedProposal unpack(SignedProposal signed) throws InvalidProposalException {
        if (signed == null || signed.getProposalBytes().isEmpty()) {
            throw new InvalidProposalException("a signed proposal is required");
        }
        try {
            var proposal = Proposal.parseFrom(signed.getProposalBytes());
            var header = Header.parseFrom(proposal.getHeader());
            var channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
            var signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
            if (channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
                throw new InvalidProposalException("invalid header type " + channelHeader.getType()
                        + ": a proposal must be an ENDORSER_TRANSACTION");
            }
            var extension = ChaincodeHeaderExtension.parseFrom(channelHeader.getExtension());
            var payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
            var spec = ChaincodeInvocationSpec.parseFrom(payload.getInput());
            var name = spec.getChaincodeSpec().getChaincodeId().getName();
            if (name.isEmpty()) {
                name = extension.getChaincodeId().getName();
            }
            if (name.isEmpty()) {
                throw new InvalidProposalException("the proposal names no chaincode");
            }
            if (signatureHeader.getNonce().isEmpty()) {
                throw new InvalidProposalException("invalid nonce specified in the header");
            }
            if (signatureHeader.getCreator().isEmpty()) {
                throw new InvalidProposalException("invalid creator specified in the header");
            }
            return new UnpackedProposal(signed, proposal, header, channelHeader, signatureHeader, payload, name,
                    spec.getChaincodeSpec().getInput());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidProposalException("error unmarshalling proposal: " + e.getMessage());
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
