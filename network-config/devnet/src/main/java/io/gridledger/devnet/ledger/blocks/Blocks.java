package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.msp.SigningIdentity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds and reads Fabric 2.5 blocks the way the orderer and the committing peer do, so that the Deliver service can
 * hand devnet's blocks to any Fabric client unchanged.
 *
 * <p>A block goes through three hands, each adding metadata to one of the five slots of
 * {@link BlockMetadataIndex}:
 * <ol>
 *   <li>the orderer cuts it ({@link #create}: header with number, previous hash and data hash, five empty metadata
 *       slots, like {@code protoutil.NewBlock});</li>
 *   <li>the orderer signs it ({@link #sign}: {@code LAST_CONFIG} and {@code SIGNATURES}, like Fabric's
 *       {@code BlockWriter.commitBlock});</li>
 *   <li>the peer validates it ({@link #withValidationCodes}: {@code TRANSACTIONS_FILTER}, one
 *       {@link TxValidationCode} byte per transaction) and commits it ({@link #withCommitHash}: {@code COMMIT_HASH}).</li>
 * </ol>
 *
 * <pre>{@code
 * Block cut = Blocks.create(store.height(), store.lastHeaderHash(), envelopes);
 * Block signed = Blocks.sign(cut, orderer, lastConfigBlock);
 * Block validated = Blocks.withValidationCodes(signed, codes);
 * store.append(validated);
 * }</pre>
 *
 * Blocks are immutable protobuf messages: every method returns a new block. Metadata that cannot be parsed raises
 * {@link IllegalArgumentException} naming the slot and block.
 */
public final class Blocks {

    /** Fabric's {@code crypto.NonceSize}. */
    private static final int NONCE_SIZE = 24;
    private static final int METADATA_SLOTS = BlockMetadataIndex.COMMIT_HASH_VALUE + 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Blocks() {
    }

    /**
     * A block of {@code envelopes} with header {@code number}, {@code previousHash} (empty for the genesis block) and
     * the data hash over the envelopes' bytes; all five metadata slots present and empty.
     */
    public static Block create(long number, byte[] previousHash, List<Envelope> envelopes) {
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(envelopes, "envelopes");
        var data = BlockData.newBuilder();
        for (Envelope envelope : envelopes) {
            data.addData(Objects.requireNonNull(envelope, "envelope").toByteString());
        }
        return createFromData(number, previousHash, data.build());
    }

    /** Like {@link #create} but with envelopes already serialized, keeping the exact bytes clients signed. */
    public static Block createFromData(long number, byte[] previousHash, BlockData data) {
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(data, "data");
        var header = BlockHeader.newBuilder()
                .setNumber(number)
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data)));
        var metadata = BlockMetadata.newBuilder();
        for (int i = 0; i < METADATA_SLOTS; i++) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        return Block.newBuilder().setHeader(header).setData(data).setMetadata(metadata).build();
    }

    /** {@link #sign(Block, SigningIdentity, long, byte[])} with no consenter metadata (solo-style ordering). */
    public static Block sign(Block block, SigningIdentity orderer, long lastConfigIndex) {
        return sign(block, orderer, lastConfigIndex, new byte[0]);
    }

    /**
     * Adds the orderer's metadata as Fabric's block writer does: {@code LAST_CONFIG} holds
     * {@code Metadata{value: LastConfig{index}}}; {@code SIGNATURES} holds {@code Metadata{value, signatures}} whose
     * value is {@code OrdererBlockMetadata{last_config, consenter_metadata: Metadata{value: consenterMetadata}}} and
     * whose single signature is by {@code orderer} over {@code value ‖ signature_header ‖ headerBytes(header)}, the
     * signature header carrying the orderer's serialized identity and a fresh 24-byte nonce.
     */
    public static Block sign(Block block, SigningIdentity orderer, long lastConfigIndex, byte[] consenterMetadata) {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(orderer, "orderer");
        Objects.requireNonNull(consenterMetadata, "consenterMetadata");
        var lastConfig = LastConfig.newBuilder().setIndex(lastConfigIndex).build();
        var nonce = new byte[NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        ByteString signatureHeader = SignatureHeader.newBuilder()
                .setCreator(orderer.serialized())
                .setNonce(ByteString.copyFrom(nonce))
                .build()
                .toByteString();
        ByteString value = OrdererBlockMetadata.newBuilder()
                .setLastConfig(lastConfig)
                .setConsenterMetadata(Metadata.newBuilder()
                        .setValue(ByteString.copyFrom(consenterMetadata)).build().toByteString())
                .build()
                .toByteString();
        byte[] signature = orderer.sign(signedBytes(value, signatureHeader, block.getHeader()));
        ByteString signatures = Metadata.newBuilder()
                .setValue(value)
                .addSignatures(MetadataSignature.newBuilder()
                        .setSignatureHeader(signatureHeader)
                        .setSignature(ByteString.copyFrom(signature)))
                .build()
                .toByteString();
        ByteString lastConfigSlot = Metadata.newBuilder().setValue(lastConfig.toByteString()).build().toByteString();
        return withMetadata(withMetadata(block, BlockMetadataIndex.LAST_CONFIG, lastConfigSlot),
                BlockMetadataIndex.SIGNATURES, signatures);
    }

    /**
     * The signatures in the block's {@code SIGNATURES} metadata with the bytes each one covers. Signatures that name
     * their signer by consenter id (BFT {@code identifier_header}) are returned with an empty creator.
     */
    public static List<BlockSignature> signatures(Block block) {
        Metadata metadata = parseMetadata(block, BlockMetadataIndex.SIGNATURES);
        var result = new ArrayList<BlockSignature>(metadata.getSignaturesCount());
        for (MetadataSignature signature : metadata.getSignaturesList()) {
            boolean byIdentifier = signature.getSignatureHeader().isEmpty() && !signature.getIdentifierHeader().isEmpty();
            ByteString header = byIdentifier ? signature.getIdentifierHeader() : signature.getSignatureHeader();
            ByteString creator = ByteString.EMPTY;
            if (!byIdentifier) {
                try {
                    creator = SignatureHeader.parseFrom(header).getCreator();
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalArgumentException(
                            "block " + number(block) + ": malformed signature header in SIGNATURES metadata", e);
                }
            }
            result.add(new BlockSignature(creator, signedBytes(metadata.getValue(), header, block.getHeader()),
                    signature.getSignature().toByteArray()));
        }
        return List.copyOf(result);
    }

    /**
     * Whether the block carries at least one orderer signature and every one of them verifies with {@code check}.
     * (A real channel evaluates its {@code BlockValidation} policy over {@link #signatures}; with devnet's single
     * orderer "all present and valid" is that policy.)
     */
    public static boolean verifySignatures(Block block, SignatureCheck check) {
        Objects.requireNonNull(check, "check");
        List<BlockSignature> signatures = signatures(block);
        return !signatures.isEmpty() && signatures.stream()
                .allMatch(s -> check.verify(s.creator(), s.signedBytes(), s.signature()));
    }

    /**
     * The index of the last config block as the orderer recorded it: from {@code SIGNATURES}'
     * {@code OrdererBlockMetadata}, falling back to the {@code LAST_CONFIG} slot like
     * {@code protoutil.GetLastConfigIndexFromBlock}.
     */
    public static long lastConfigIndex(Block block) {
        Metadata signatures = parseMetadata(block, BlockMetadataIndex.SIGNATURES);
        try {
            if (!signatures.getValue().isEmpty()) {
                return OrdererBlockMetadata.parseFrom(signatures.getValue()).getLastConfig().getIndex();
            }
            return LastConfig.parseFrom(parseMetadata(block, BlockMetadataIndex.LAST_CONFIG).getValue()).getIndex();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("block " + number(block) + ": malformed last config metadata", e);
        }
    }

    /**
     * Sets {@code TRANSACTIONS_FILTER}: one {@link TxValidationCode} number per transaction, in block order (Fabric's
     * {@code txflags.ValidationFlags}, raw bytes, not wrapped in {@code Metadata}).
     *
     * @throws IllegalArgumentException when there is not exactly one code per transaction
     */
    public static Block withValidationCodes(Block block, byte[] codes) {
        Objects.requireNonNull(codes, "codes");
        int transactions = block.getData().getDataCount();
        if (codes.length != transactions) {
            throw new IllegalArgumentException("block " + number(block) + " has " + transactions
                    + " transactions but " + codes.length + " validation codes were given");
        }
        return withMetadata(block, BlockMetadataIndex.TRANSACTIONS_FILTER, ByteString.copyFrom(codes));
    }

    /** Convenience for {@link #withValidationCodes(Block, byte[])} from enum values. */
    public static Block withValidationCodes(Block block, List<TxValidationCode> codes) {
        var bytes = new byte[codes.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) codes.get(i).getNumber();
        }
        return withValidationCodes(block, bytes);
    }

    /** The raw {@code TRANSACTIONS_FILTER} bytes; empty when the block has not been validated yet. */
    public static byte[] validationCodes(Block block) {
        return metadata(block, BlockMetadataIndex.TRANSACTIONS_FILTER).toByteArray();
    }

    /**
     * The validation code of transaction {@code txIndex}; {@link TxValidationCode#NOT_VALIDATED} when the block has no
     * code for it.
     */
    public static TxValidationCode validationCode(Block block, int txIndex) {
        ByteString codes = metadata(block, BlockMetadataIndex.TRANSACTIONS_FILTER);
        if (txIndex < 0 || txIndex >= codes.size()) {
            return TxValidationCode.NOT_VALIDATED;
        }
        return toValidationCode(codes.byteAt(txIndex));
    }

    /** Sets {@code COMMIT_HASH} to {@code Metadata{value: commitHash}}, as the peer's kvledger does after commit. */
    public static Block withCommitHash(Block block, byte[] commitHash) {
        Objects.requireNonNull(commitHash, "commitHash");
        return withMetadata(block, BlockMetadataIndex.COMMIT_HASH,
                Metadata.newBuilder().setValue(ByteString.copyFrom(commitHash)).build().toByteString());
    }

    /** The {@code COMMIT_HASH} value, if the block has one. */
    public static Optional<byte[]> commitHash(Block block) {
        ByteString value = parseMetadata(block, BlockMetadataIndex.COMMIT_HASH).getValue();
        return value.isEmpty() ? Optional.empty() : Optional.of(value.toByteArray());
    }

    /**
     * The next commit hash as kvledger chains it:
     * {@code SHA-256(varint(len(codes)) ‖ codes ‖ updateBatchBytes ‖ previousCommitHash)}. The state database owns
     * the encoding of {@code updateBatchBytes}; devnet only has to be self-consistent, since peers compare commit
     * hashes only with each other.
     */
    public static byte[] nextCommitHash(byte[] previousCommitHash, byte[] codes, byte[] updateBatchBytes) {
        var digest = BlockHashes.sha256();
        var varint = new byte[10];
        var out = CodedOutputStream.newInstance(varint);
        try {
            out.writeUInt64NoTag(codes.length);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        digest.update(varint, 0, out.getTotalBytesWritten());
        digest.update(codes);
        digest.update(updateBatchBytes);
        digest.update(previousCommitHash);
        return digest.digest();
    }

    /** The raw bytes of one metadata slot; empty when the slot is absent. */
    public static ByteString metadata(Block block, BlockMetadataIndex index) {
        Objects.requireNonNull(block, "block");
        int slot = index.getNumber();
        BlockMetadata metadata = block.getMetadata();
        return slot < metadata.getMetadataCount() ? metadata.getMetadata(slot) : ByteString.EMPTY;
    }

    /** The block with one metadata slot replaced, missing slots filled with empty bytes (Fabric's InitBlockMetadata). */
    public static Block withMetadata(Block block, BlockMetadataIndex index, ByteString value) {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(value, "value");
        var metadata = block.getMetadata().toBuilder();
        while (metadata.getMetadataCount() < METADATA_SLOTS) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(index.getNumber(), value);
        return block.toBuilder().setMetadata(metadata).build();
    }

    static TxValidationCode toValidationCode(byte code) {
        TxValidationCode known = TxValidationCode.forNumber(Byte.toUnsignedInt(code));
        return known == null ? TxValidationCode.UNRECOGNIZED : known;
    }

    private static Metadata parseMetadata(Block block, BlockMetadataIndex index) {
        try {
            return Metadata.parseFrom(metadata(block, index));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("block " + number(block) + ": malformed " + index + " metadata", e);
        }
    }

    private static byte[] signedBytes(ByteString value, ByteString signatureHeader, BlockHeader header) {
        return value.concat(signatureHeader).concat(ByteString.copyFrom(BlockHashes.headerBytes(header))).toByteArray();
    }

    private static long number(Block block) {
        return block.getHeader().getNumber();
    }
}
