package io.gridledger.devnet.msp;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class EcdsaSignaturesTest {

    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    @Test
    void reads_back_what_it_encodes() {
        var r = BigInteger.ONE.shiftLeft(255).add(BigInteger.TEN);
        var s = BigInteger.valueOf(12345);

        assertThat(EcdsaSignatures.parse(EcdsaSignatures.encode(r, s))).contains(new EcdsaSignatures.RS(r, s));
    }

    @Test
    void rejects_integers_with_a_redundant_leading_zero_or_a_sign_bit_and_trailing_bytes() {
        // SEQUENCE { INTEGER 00 01, INTEGER 01 }, SEQUENCE { INTEGER 81, INTEGER 01 }, a valid one plus a byte
        assertThat(EcdsaSignatures.parse(HexFormat.of().parseHex("300702020001020101"))).isEmpty();
        assertThat(EcdsaSignatures.parse(HexFormat.of().parseHex("3006020181020101"))).isEmpty();
        assertThat(EcdsaSignatures.parse(HexFormat.of().parseHex("300602010102010100"))).isEmpty();
    }

    @Test
    void rejects_a_long_form_length_for_a_short_sequence_and_zero_values() {
        assertThat(EcdsaSignatures.parse(HexFormat.of().parseHex("308106020101020101"))).isEmpty();
        assertThat(EcdsaSignatures.parse(HexFormat.of().parseHex("3006020100020101"))).isEmpty();
        assertThat(EcdsaSignatures.parse(HexFormat.of().parseHex("3006020101020101"))).isPresent();
    }

    @Test
    void normalizes_a_high_s_to_its_low_twin_and_leaves_a_low_s_alone() {
        var r = BigInteger.valueOf(7);
        var highS = P256_ORDER.subtract(BigInteger.valueOf(3));
        var low = EcdsaSignatures.encode(r, BigInteger.valueOf(3));

        assertThat(EcdsaSignatures.isLowS(highS, P256_ORDER)).isFalse();
        assertThat(EcdsaSignatures.toLowS(EcdsaSignatures.encode(r, highS), P256_ORDER)).isEqualTo(low);
        assertThat(EcdsaSignatures.toLowS(low, P256_ORDER)).isSameAs(low);
        assertThat(EcdsaSignatures.isLowS(P256_ORDER.shiftRight(1), P256_ORDER)).isTrue();
        assertThat(EcdsaSignatures.isLowS(P256_ORDER.shiftRight(1).add(BigInteger.ONE), P256_ORDER)).isFalse();
    }
}
