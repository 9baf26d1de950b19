package io.gridledger.agent.result;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 value: 32 bytes, shown as lowercase hex (the form the contract and object storage use).
 *
 * <pre>{@code
 * Sha256 digest = Sha256.ofHex("e3b0c442…");
 * digest.hex();   // "e3b0c442…"
 * }</pre>
 */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private Sha256(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The value of these 32 bytes (copied). */
    public static Sha256 of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a SHA-256 value has 32 bytes, got " + bytes.length);
        }
        return new Sha256(bytes.clone());
    }

    /** The value of 64 hex digits (either case). */
    public static Sha256 ofHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a SHA-256 value is 64 hex digits, got '" + hex + "'");
        }
        return new Sha256(HEX.parseHex(hex));
    }

    /** SHA-256 of {@code data}. */
    public static Sha256 hash(byte[] data) {
        return new Sha256(newDigest().digest(data));
    }

    /** The completed hash of {@code digest} (which is reset). */
    static Sha256 finish(MessageDigest digest) {
        return new Sha256(digest.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sha256 that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
