package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The hashes that chain Fabric blocks together, computed byte for byte as Fabric 2.5 computes them, so that a
 * client or a real peer that checks {@code previous_hash} and {@code data_hash} accepts devnet's blocks.
 *
 * <ul>
 *   <li>{@link #headerBytes} is the ASN.1 DER encoding of {@code SEQUENCE { INTEGER number, OCTET STRING
 *       previous_hash, OCTET STRING data_hash }}: Fabric marshals the header with Go's {@code encoding/asn1}, the
 *       number as a {@code big.Int} set from the unsigned 64-bit value (so numbers at or above 2^63 stay positive and
 *       gain a leading zero byte).</li>
 *   <li>{@link #headerHash} is SHA-256 of those bytes; block {@code n+1} carries it as {@code previous_hash}, and
 *       {@code BlockchainInfo.currentBlockHash} reports it.</li>
 *   <li>{@link #dataHash} is SHA-256 of the concatenated envelope bytes of the block, in order.</li>
 * </ul>
 *
 * <pre>{@code
 * ByteString prev = ByteString.copyFrom(BlockHashes.headerHash(previous.getHeader()));
 * }</pre>
 */
public final class BlockHashes {

    private static final int TAG_INTEGER = 0x02;
    private static final int TAG_OCTET_STRING = 0x04;
    private static final int TAG_SEQUENCE = 0x30;

    private BlockHashes() {
    }

    /** The DER bytes Fabric hashes for a header (and that the orderer's block signature covers). */
    public static byte[] headerBytes(BlockHeader header) {
        Objects.requireNonNull(header, "header");
        var content = new ByteArrayOutputStream(80);
        writeTlv(content, TAG_INTEGER, unsignedIntegerContent(header.getNumber()));
        writeTlv(content, TAG_OCTET_STRING, header.getPreviousHash());
        writeTlv(content, TAG_OCTET_STRING, header.getDataHash());
        var sequence = new ByteArrayOutputStream(content.size() + 4);
        writeTlv(sequence, TAG_SEQUENCE, content.toByteArray());
        return sequence.toByteArray();
    }

    /** SHA-256 of {@link #headerBytes}: the block's hash. */
    public static byte[] headerHash(BlockHeader header) {
        return sha256().digest(headerBytes(header));
    }

    /** SHA-256 of the block's envelopes concatenated, which Fabric 2.5 stores as {@code header.data_hash}. */
    public static byte[] dataHash(BlockData data) {
        Objects.requireNonNull(data, "data");
        var digest = sha256();
        for (ByteString envelope : data.getDataList()) {
            for (var buffer : envelope.asReadOnlyByteBufferList()) {
                digest.update(buffer);
            }
        }
        return digest.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    /**
     * Two's-complement content octets of a non-negative integer, minimal as DER requires: no leading zero byte
     * unless the next byte's high bit is set, and a single zero byte for zero (what Go emits for a big.Int).
     */
    private static byte[] unsignedIntegerContent(long value) {
        int significant = 8 - Long.numberOfLeadingZeros(value) / 8;
        if (significant == 0) {
            return new byte[] {0};
        }
        boolean highBitSet = ((value >>> (8 * (significant - 1))) & 0x80) != 0;
        int length = significant + (highBitSet ? 1 : 0);
        var out = new byte[length];
        for (int i = 0; i < significant; i++) {
            out[length - 1 - i] = (byte) (value >>> (8 * i));
        }
        return out;
    }

    private static void writeTlv(ByteArrayOutputStream out, int tag, byte[] content) {
        out.write(tag);
        writeLength(out, content.length);
        out.writeBytes(content);
    }

    private static void writeTlv(ByteArrayOutputStream out, int tag, ByteString content) {
        out.write(tag);
        writeLength(out, content.size());
        out.writeBytes(content.toByteArray());
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int octets = 4 - Integer.numberOfLeadingZeros(length) / 8;
        out.write(0x80 | octets);
        for (int i = octets - 1; i >= 0; i--) {
            out.write(length >>> (8 * i));
        }
    }
}
