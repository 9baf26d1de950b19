package io.gridledger.agent.result;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The secret that hides a result in its commitment until the reveal: 16 to 64 random bytes (the contract refuses
 * others), drawn from a {@link SecureRandom}. The agent journals it before committing so that a crash between commit
 * and reveal cannot lose it.
 */
public final class Salt {

    public static final int MIN_BYTES = 16;
    public static final int MAX_BYTES = 64;
    public static final int DEFAULT_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Salt(byte[] bytes) {
        if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("a salt has 16 to 64 bytes, got " + bytes.length);
        }
        this.bytes = bytes;
    }

    /** A fresh salt of {@value #DEFAULT_BYTES} bytes. */
    public static Salt random(SecureRandom random) {
        return random(random, DEFAULT_BYTES);
    }

    /** A fresh salt of {@code length} bytes (16–64). */
    public static Salt random(SecureRandom random, int length) {
        Objects.requireNonNull(random, "random");
        if (length < MIN_BYTES || length > MAX_BYTES) {
            throw new IllegalArgumentException("a salt has 16 to 64 bytes, got " + length);
        }
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return new Salt(bytes);
    }

    public static Salt of(byte[] bytes) {
        return new Salt(Objects.requireNonNull(bytes, "bytes").clone());
    }

    /** The salt of lowercase or uppercase hex, as journalled or as the contract shows it. */
    public static Salt ofHex(String hex) {
        return new Salt(HEX.parseHex(Objects.requireNonNull(hex, "hex")));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lowercase hex: the form {@code RevealResult} takes. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Salt that && java.security.MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    /** Never the secret itself: salts end up in logs by accident otherwise. */
    @Override
    public String toString() {
        return "Salt[" + bytes.length + " bytes]";
    }
}
