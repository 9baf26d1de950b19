package io.gridledger.devnet.scc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.blocks.BlockHashes;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.Response;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Fabric's ledger query system chaincode ({@code core/scc/qscc}) over the peer's channel ledger. Arguments are the
 * function, the channel, and for all but {@code GetChainInfo} one more:
 * <ul>
 *   <li>{@code GetChainInfo} → {@code common.BlockchainInfo}: height, the header hash of the last block and that
 *       block's previous hash;</li>
 *   <li>{@code GetBlockByNumber} (decimal, {@code 18446744073709551615} for the last block),
 *       {@code GetBlockByHash} (the header hash bytes), {@code GetBlockByTxID} → {@code common.Block} as stored,
 *       with its validation codes;</li>
 *   <li>{@code GetTransactionByID} → {@code peer.ProcessedTransaction}: the envelope and its validation code.</li>
 * </ul>
 * Checks and failures come in Fabric's order and words: {@code Incorrect number of arguments, 1},
 * {@code missing 3rd argument for GetBlockByNumber}, {@code Invalid chain ID, other}, then the channel's Readers
 * ACL ({@code access denied for [F][channel]: [...]}, which also answers an unknown function:
 * {@code Unmapped policy for qscc/F}), then e.g.
 * {@code Failed to get transaction with id X, error Entry not found in index}.
 *
 * <pre>{@code
 * byte[] info = network.getContract("qscc").evaluateTransaction("GetChainInfo", "gridledger");
 * long height = BlockchainInfo.parseFrom(info).getHeight();
 * }</pre>
 */
public final class Qscc implements SystemChaincode {

    public static final String NAME = "qscc";

    /** The block store's answer for a number, hash or transaction id it does not hold (Fabric's blkstorage). */
    private static final String NOT_FOUND = "Entry not found in index";
    /** Go's {@code math.MaxUint64}, which asks for the last block. */
    private static final long LAST_BLOCK = -1L;

    private final ChannelLedger ledger;
    private final AccessControl access;

    public Qscc(ChannelLedger ledger, AccessControl access) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.access = Objects.requireNonNull(access, "access");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Response invoke(Invocation invocation) {
        var args = invocation.args();
        if (args.size() < 2) {
            return SystemChaincode.error("Incorrect number of arguments, " + args.size());
        }
        var function = invocation.text(0);
        var channel = invocation.text(1);
        if (!function.equals("GetChainInfo") && args.size() < 3) {
            return SystemChaincode.error("missing 3rd argument for " + function);
        }
        if (!channel.equals(ledger.channelId())) {
            return SystemChaincode.error("Invalid chain ID, " + channel);
        }
        var denied = access.denial(NAME + "/" + function, channel, invocation);
        if (denied.isPresent()) {
            return SystemChaincode.error("access denied for [" + function + "][" + channel + "]: [" + denied.get() + "]");
        }
        return switch (function) {
            case "GetChainInfo" -> chainInfo();
            case "GetBlockByNumber" -> blockByNumber(invocation.text(2));
            case "GetBlockByHash" -> blockByHash(args.get(2));
            case "GetTransactionByID" -> transactionById(invocation.text(2));
            case "GetBlockByTxID" -> blockByTxId(invocation.text(2));
            default -> SystemChaincode.error("Requested function " + function + " not found.");
        };
    }

    private Response chainInfo() {
        var blocks = ledger.blocks();
        long height = blocks.height();
        var info = BlockchainInfo.newBuilder().setHeight(height);
        if (height > 0) {
            var last = blocks.block(height - 1).orElseThrow().getHeader();
            info.setCurrentBlockHash(ByteString.copyFrom(BlockHashes.headerHash(last)))
                    .setPreviousBlockHash(last.getPreviousHash());
        }
        return SystemChaincode.success(info.build().toByteString());
    }

    private Response blockByNumber(String text) {
        long number;
        try {
            number = parseUint64(text);
        } catch (NumberFormatException e) {
            return SystemChaincode.error("Failed to parse block number with error " + e.getMessage());
        }
        var block = number == LAST_BLOCK
                ? ledger.blocks().block(ledger.blocks().height() - 1)
                : ledger.blocks().block(number);
        return block.map(Qscc::success).orElseGet(() -> SystemChaincode.error(
                "Failed to get block number " + Long.toUnsignedString(number) + ", error " + NOT_FOUND));
    }

    private Response blockByHash(ByteString hash) {
        return ledger.blocks().blockByHash(hash.toByteArray()).map(Qscc::success)
                .orElseGet(() -> SystemChaincode.error("Failed to get block hash "
                        + new String(hash.toByteArray(), StandardCharsets.UTF_8) + ", error " + NOT_FOUND));
    }

    private Response transactionById(String txId) {
        var found = ledger.blocks().transaction(txId).flatMap(location -> ledger.blocks().block(location.blockNumber())
                .map(block -> block.getData().getData(location.txIndex()))
                .flatMap(Qscc::envelope)
                .map(envelope -> ProcessedTransaction.newBuilder().setTransactionEnvelope(envelope)
                        .setValidationCode(location.validationCode().getNumber()).build()));
        return found.map(tx -> SystemChaincode.success(tx.toByteString())).orElseGet(() -> SystemChaincode.error(
                "Failed to get transaction with id " + txId + ", error " + NOT_FOUND));
    }

    private Response blockByTxId(String txId) {
        return ledger.blocks().transaction(txId).flatMap(location -> ledger.blocks().block(location.blockNumber()))
                .map(Qscc::success).orElseGet(() -> SystemChaincode.error(
                        "Failed to get block for txID " + txId + ", error " + NOT_FOUND));
    }

    private static Response success(Block block) {
        return SystemChaincode.success(block.toByteString());
    }

    private static Optional<Envelope> envelope(ByteString bytes) {
        try {
            return Optional.of(Envelope.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /**
     * Go's {@code strconv.ParseUint(text, 10, 64)}: decimal digits only, up to 2^64 - 1 (returned as the same
     * 64 bits), with Go's error text.
     */
    static long parseUint64(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException("strconv.ParseUint: parsing " + quote(text) + ": invalid syntax");
        }
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("strconv.ParseUint: parsing " + quote(text) + ": value out of range");
        }
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
