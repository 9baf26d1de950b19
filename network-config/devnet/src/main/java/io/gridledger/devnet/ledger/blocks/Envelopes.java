package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes Fabric transaction envelopes apart into {@link ParsedTransaction}s, refusing malformed ones with the
 * validation code a Fabric 2.5 peer would record.
 *
 * <pre>{@code
 * try {
 *     ParsedTransaction tx = Envelopes.parse(envelopeBytes);
 *     ...
 * } catch (MalformedTransactionException e) {
 *     codes[i] = (byte) e.validationCode().getNumber();
 * }
 * }</pre>
 *
 * Parsing checks structure only (every nested message parses, the header has a creator and nonce, an endorser
 * transaction has exactly one action with an endorsed action). Signatures, the tx id binding
 * ({@link ParsedTransaction#txIdMatchesNonceAndCreator}), the proposal hash
 * ({@link ParsedTransaction.Action#proposalHashMatches}), endorsement policy and MVCC are the validator's.
 */
public final class Envelopes {

    private static final HexFormat HEX = HexFormat.of();

    private Envelopes() {
    }

    /** Parses the serialized envelope as stored in {@code BlockData}. */
    public static ParsedTransaction parse(ByteString envelopeBytes) {
        Objects.requireNonNull(envelopeBytes, "envelopeBytes");
        if (envelopeBytes.isEmpty()) {
            throw new MalformedTransactionException(TxValidationCode.NIL_ENVELOPE, "empty envelope");
        }
        return parse(parseAs(Envelope.parser(), envelopeBytes, TxValidationCode.INVALID_OTHER_REASON, "envelope"));
    }

    /**
     * Parses an envelope.
     *
     * @throws MalformedTransactionException naming what is malformed and carrying the validation code
     */
    public static ParsedTransaction parse(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (envelope.getPayload().isEmpty()) {
            throw new MalformedTransactionException(TxValidationCode.NIL_ENVELOPE, "envelope has no payload");
        }
        Payload payload = parseAs(Payload.parser(), envelope.getPayload(), TxValidationCode.BAD_PAYLOAD, "payload");
        if (!payload.hasHeader()) {
            throw new MalformedTransactionException(TxValidationCode.BAD_COMMON_HEADER, "payload has no header");
        }
        Header header = payload.getHeader();
        ChannelHeader channelHeader = parseAs(ChannelHeader.parser(), header.getChannelHeader(),
                TxValidationCode.BAD_COMMON_HEADER, "channel header");
        SignatureHeader signatureHeader = parseAs(SignatureHeader.parser(), header.getSignatureHeader(),
                TxValidationCode.BAD_COMMON_HEADER, "signature header");
        if (signatureHeader.getCreator().isEmpty() || signatureHeader.getNonce().isEmpty()) {
            throw new MalformedTransactionException(TxValidationCode.BAD_COMMON_HEADER,
                    "signature header of transaction '" + channelHeader.getTxId() + "' lacks creator or nonce");
        }
        HeaderType type = Optional.ofNullable(HeaderType.forNumber(channelHeader.getType()))
                .orElse(HeaderType.UNRECOGNIZED);
        var timestamp = Instant.ofEpochSecond(channelHeader.getTimestamp().getSeconds(),
                channelHeader.getTimestamp().getNanos());

        Optional<ChaincodeID> chaincodeId = Optional.empty();
        List<ParsedTransaction.Action> actions = List.of();
        if (type == HeaderType.ENDORSER_TRANSACTION) {
            ChaincodeHeaderExtension extension = parseAs(ChaincodeHeaderExtension.parser(),
                    channelHeader.getExtension(), TxValidationCode.BAD_HEADER_EXTENSION, "chaincode header extension");
            chaincodeId = Optional.of(extension.getChaincodeId());
            actions = List.of(parseEndorserTransaction(channelHeader.getTxId(), header, payload.getData()));
        }
        return new ParsedTransaction(type, channelHeader.getChannelId(), channelHeader.getTxId(), timestamp,
                channelHeader, signatureHeader, chaincodeId, envelope.getPayload(), envelope.getSignature(),
                payload.getData(), actions);
    }

    /**
     * The transaction id in an envelope's channel header, without parsing the rest; empty when the envelope is too
     * malformed to have one or the id is blank (as in some genesis blocks). Used to index blocks.
     */
    public static Optional<String> txId(ByteString envelopeBytes) {
        try {
            ByteString payloadBytes = Envelope.parseFrom(envelopeBytes).getPayload();
            ByteString channelHeader = Payload.parseFrom(payloadBytes).getHeader().getChannelHeader();
            String txId = ChannelHeader.parseFrom(channelHeader).getTxId();
            return txId.isEmpty() ? Optional.empty() : Optional.of(txId);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /** Fabric's {@code protoutil.ComputeTxID}: lower-case hex of SHA-256(nonce ‖ creator). */
    public static String computeTxId(ByteString nonce, ByteString creator) {
        var digest = BlockHashes.sha256();
        digest.update(nonce.toByteArray());
        digest.update(creator.toByteArray());
        return HEX.formatHex(digest.digest());
    }

    /**
     * Fabric's {@code protoutil.GetProposalHash2}: SHA-256 over the channel header bytes, the signature header bytes and
     * the chaincode proposal payload bytes, which endorsers record as {@code proposal_hash}.
     */
    public static byte[] proposalHash(Header header, ByteString chaincodeProposalPayload) {
        var digest = BlockHashes.sha256();
        digest.update(header.getChannelHeader().toByteArray());
        digest.update(header.getSignatureHeader().toByteArray());
        digest.update(chaincodeProposalPayload.toByteArray());
        return digest.digest();
    }

    private static ParsedTransaction.Action parseEndorserTransaction(String txId, Header header, ByteString data) {
        var invalid = TxValidationCode.INVALID_ENDORSER_TRANSACTION;
        Transaction transaction = parseAs(Transaction.parser(), data, invalid, "transaction of '" + txId + "'");
        if (transaction.getActionsCount() != 1) {
            throw new MalformedTransactionException(invalid, "transaction '" + txId + "' has "
                    + transaction.getActionsCount() + " actions; Fabric supports exactly one");
        }
        TransactionAction action = transaction.getActions(0);
        ChaincodeActionPayload actionPayload = parseAs(ChaincodeActionPayload.parser(), action.getPayload(), invalid,
                "chaincode action payload of '" + txId + "'");
        if (!actionPayload.hasAction()) {
            throw new MalformedTransactionException(invalid, "transaction '" + txId + "' has no endorsed action");
        }
        var endorsed = actionPayload.getAction();
        var badResponse = TxValidationCode.BAD_RESPONSE_PAYLOAD;
        ProposalResponsePayload responsePayload = parseAs(ProposalResponsePayload.parser(),
                endorsed.getProposalResponsePayload(), badResponse, "proposal response payload of '" + txId + "'");
        ChaincodeAction chaincodeAction = parseAs(ChaincodeAction.parser(), responsePayload.getExtension(),
                badResponse, "chaincode action of '" + txId + "'");
        TxReadWriteSet results = parseAs(TxReadWriteSet.parser(), chaincodeAction.getResults(),
                TxValidationCode.BAD_RWSET, "read-write set of '" + txId + "'");
        Optional<ChaincodeEvent> event = chaincodeAction.getEvents().isEmpty()
                ? Optional.empty()
                : Optional.of(parseAs(ChaincodeEvent.parser(), chaincodeAction.getEvents(), badResponse,
                        "chaincode event of '" + txId + "'"));
        boolean proposalHashMatches = ByteString.copyFrom(proposalHash(header,
                actionPayload.getChaincodeProposalPayload())).equals(responsePayload.getProposalHash());
        return new ParsedTransaction.Action(endorsed.getProposalResponsePayload(), responsePayload.getProposalHash(),
                proposalHashMatches, actionPayload.getChaincodeProposalPayload(), chaincodeAction.getChaincodeId(),
                results, event, chaincodeAction.getResponse(), endorsed.getEndorsementsList());
    }

    private static <T> T parseAs(Parser<T> parser, ByteString bytes, TxValidationCode code, String what) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedTransactionException(code, "malformed " + what + ": " + e.getMessage(), e);
        }
    }
}
