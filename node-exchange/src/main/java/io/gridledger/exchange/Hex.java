package io.gridledger.exchange;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 in the protocol's one text form: 64 lowercase hex digits. */
public final class Hex {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private Hex() {
    }

    /** Whether {@code value} is 64 lowercase hex digits (upper case is refused: one text per digest). */
    public static boolean isSha256(String value) {
        return value != null && SHA256_HEX.matcher(value).matches();
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** A fresh SHA-256 digest (every JVM has one). */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
