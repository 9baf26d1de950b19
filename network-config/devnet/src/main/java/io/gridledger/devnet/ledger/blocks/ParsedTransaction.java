package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Response;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A transaction envelope taken apart once, so that the validator, the committer, the tx-status and chaincode-event
 * services do not each unwrap Fabric's nested byte fields. Produced by {@link Envelopes#parse}.
 *
 * <p>Every envelope has the common part: the channel header (type, channel, tx id, timestamp), the signature header
 * (creator, nonce), and what the creator signed ({@code payloadBytes}, {@code signature}). An
 * {@link HeaderType#ENDORSER_TRANSACTION} also has the chaincode named in its header extension and its
 * {@link #actions()} (Fabric 2.5 accepts exactly one); other types (CONFIG…) have no actions and keep their
 * {@link #data()} for whoever understands it (a {@code ConfigEnvelope} for CONFIG).
 *
 * @param type              the channel header type; {@link HeaderType#UNRECOGNIZED} for numbers Fabric does not define
 * @param channelHeader     the parsed channel header, for fields not lifted out here (epoch, tls cert hash…)
 * @param chaincodeId       the chaincode the client proposed to (header extension), for endorser transactions
 * @param payloadBytes      the {@code common.Payload} bytes the creator signed
 * @param signature         the creator's signature over {@code payloadBytes}
 * @param data              {@code payload.data}: a {@code peer.Transaction} or, for CONFIG, a {@code ConfigEnvelope}
 */
public record ParsedTransaction(
        HeaderType type,
        String channelId,
        String txId,
        Instant timestamp,
        ChannelHeader channelHeader,
        SignatureHeader signatureHeader,
        Optional<ChaincodeID> chaincodeId,
        ByteString payloadBytes,
        ByteString signature,
        ByteString data,
        List<Action> actions) {

    public ParsedTransaction {
        actions = List.copyOf(actions);
    }

    /** The serialized identity ({@code msp.SerializedIdentity}) of the client that created the transaction. */
    public ByteString creator() {
        return signatureHeader.getCreator();
    }

    public ByteString nonce() {
        return signatureHeader.getNonce();
    }

    public boolean isEndorserTransaction() {
        return type == HeaderType.ENDORSER_TRANSACTION;
    }

    /** The single action of an endorser transaction. */
    public Action action() {
        if (actions.size() != 1) {
            throw new IllegalStateException("transaction " + txId + " has " + actions.size() + " actions, not one");
        }
        return actions.get(0);
    }

    /** Whether {@code txId} is {@code hex(SHA-256(nonce ‖ creator))}, which Fabric requires (else BAD_PROPOSAL_TXID). */
    public boolean txIdMatchesNonceAndCreator() {
        return Envelopes.computeTxId(nonce(), creator()).equals(txId);
    }

    /**
     * One {@code TransactionAction}: what the endorsers signed and what the chaincode did.
     *
     * @param proposalResponsePayload the {@code ProposalResponsePayload} bytes every endorser signed (with its own
     *                                identity appended, see {@link #endorsementSignedBytes})
     * @param proposalHash            hash of the proposal the endorsers executed
     * @param proposalHashMatches     whether {@code proposalHash} is the hash of this transaction's header and
     *                                chaincode proposal payload ({@link Envelopes#proposalHash}); Fabric refuses the
     *                                transaction as INVALID_ENDORSER_TRANSACTION otherwise
     * @param chaincodeProposalPayload the (possibly transient-stripped) {@code ChaincodeProposalPayload} bytes
     * @param chaincodeId             the chaincode (name, version) that produced the results
     * @param results                 the read-write set
     * @param event                   the chaincode event, if the chaincode set one
     * @param response                the chaincode's response (status, message, payload)
     */
    public record Action(
            ByteString proposalResponsePayload,
            ByteString proposalHash,
            boolean proposalHashMatches,
            ByteString chaincodeProposalPayload,
            ChaincodeID chaincodeId,
            TxReadWriteSet results,
            Optional<ChaincodeEvent> event,
            Response response,
            List<Endorsement> endorsements) {

        public Action {
            endorsements = List.copyOf(endorsements);
        }

        /** The bytes {@code endorsement} signs: {@code proposal_response_payload ‖ endorser}. */
        public byte[] endorsementSignedBytes(Endorsement endorsement) {
            return proposalResponsePayload.concat(endorsement.getEndorser()).toByteArray();
        }
    }
}
