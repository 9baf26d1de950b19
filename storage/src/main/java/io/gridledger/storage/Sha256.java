package io.gridledger.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 digest: the identity of an object's bytes, as the ledger records it.
 *
 * <p>Always 32 bytes, written as 64 lowercase hex digits ({@link #hex()}); {@link #parse} accepts either case and
 * nothing else, so a value of this type is always a well-formed digest.
 *
 * <pre>{@code
 * Sha256 digest = Sha256.parse("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
 * Sha256 same = Sha256.of("test".getBytes(StandardCharsets.UTF_8));
 * }</pre>
 *
 * @param hex the digest as 64 lowercase hex digits
 */
public record Sha256(String hex) {

    /** Bytes in a SHA-256 digest. */
    public static final int LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    public Sha256 {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a SHA-256 is " + 2 * LENGTH + " hex digits, not " + hex.length()
                    + ": \"" + abbreviate(hex) + "\"");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException("a SHA-256 is lowercase hex digits; \"" + abbreviate(hex)
                        + "\" has '" + c + "' at index " + i);
            }
        }
    }

    /** Reads 64 hex digits, in either case. */
    public static Sha256 parse(String hex) {
        Objects.requireNonNull(hex, "hex");
        return new Sha256(hex.toLowerCase(java.util.Locale.ROOT));
    }

    /** The digest of 32 raw bytes. */
    public static Sha256 fromBytes(byte[] digest) {
        Objects.requireNonNull(digest, "digest");
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("a SHA-256 is " + LENGTH + " bytes, not " + digest.length);
        }
        return new Sha256(HEX.formatHex(digest));
    }

    /** The SHA-256 of {@code bytes}. */
    public static Sha256 of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return fromBytes(newDigest().digest(bytes));
    }

    /** A fresh SHA-256 {@link MessageDigest} (every JDK has one). */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** The 32 raw bytes. */
    public byte[] bytes() {
        return HEX.parseHex(hex);
    }

    /** Base64 of the raw bytes, as S3's {@code x-amz-checksum-sha256} header writes a digest. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes());
    }

    @Override
    public String toString() {
        return hex;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
