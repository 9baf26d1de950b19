package io.gridledger.devnet.ledger.state;

import java.util.Comparator;

/**
 * Orders keys as Fabric's state database does: by the bytes of their UTF-8 encoding, which is the same as
 * ordering by Unicode code point. {@link String#compareTo} orders by UTF-16 code unit and would put
 * U+10FFFF (the end of every composite-key range) before U+E000..U+FFFF.
 */
public final class KeyOrder implements Comparator<String> {

    public static final KeyOrder INSTANCE = new KeyOrder();

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
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
