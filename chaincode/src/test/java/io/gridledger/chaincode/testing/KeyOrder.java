package io.gridledger.chaincode.testing;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * Orders keys the way the peer's LevelDB state database does: by their UTF-8 bytes.
 *
 * <p>Comparing code points gives the same order as comparing UTF-8 bytes. {@link String#compareTo} does not:
 * it compares UTF-16 units, so a supplementary character ({@code U+10000} and up, e.g. the
 * {@code U+10FFFF} Fabric appends to partial composite keys) would sort before {@code U+E000..U+FFFF}.
 */
final class KeyOrder implements Comparator<String> {

    static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        boolean aLeft = i < a.length();
        boolean bLeft = j < b.length();
        return aLeft == bLeft ? 0 : aLeft ? 1 : -1;
    }

    /** Whether the key encodes to UTF-8 (no unpaired surrogates), as Fabric requires of keys. */
    static boolean isValidUtf8(String key) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(key);
    }
}
