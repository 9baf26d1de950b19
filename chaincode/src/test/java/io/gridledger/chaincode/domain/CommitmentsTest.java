package io.gridledger.chaincode.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static io.gridledger.chaincode.domain.Fixtures.DIGEST_A;
import static io.gridledger.chaincode.domain.Fixtures.salt;
import static org.assertj.core.api.Assertions.assertThat;

class CommitmentsTest {

    @Test
    void is_sha256_over_the_raw_bytes_of_the_digest_followed_by_the_salt() throws Exception {
        var sha = MessageDigest.getInstance("SHA-256");
        sha.update(decode(DIGEST_A));
        sha.update(decode(salt(0)));

        assertThat(Commitments.commitment(DIGEST_A, salt(0))).isEqualTo(encode(sha.digest()));
    }

    @Test
    void matches_a_known_vector() throws Exception {
        // 32 zero bytes of digest and 16 zero bytes of salt: SHA-256 of 48 zero bytes
        var expected = encode(MessageDigest.getInstance("SHA-256").digest(new byte[48]));

        assertThat(Commitments.commitment("00".repeat(32), "00".repeat(16))).isEqualTo(expected);
    }

    @Test
    void is_not_the_hash_of_the_hex_text() throws Exception {
        var ofText = encode(MessageDigest.getInstance("SHA-256")
                .digest((DIGEST_A + salt(0)).getBytes(StandardCharsets.US_ASCII)));

        assertThat(Commitments.commitment(DIGEST_A, salt(0))).isNotEqualTo(ofText);
    }

    @Test
    void changes_with_the_salt_and_with_the_order() {
        var commitment = Commitments.commitment(DIGEST_A, salt(0));

        assertThat(Commitments.commitment(DIGEST_A, salt(1))).isNotEqualTo(commitment);
        assertThat(Commitments.commitment(salt(0), DIGEST_A)).isNotEqualTo(commitment);
    }

    @Test
    void is_64_lowercase_hex_characters() {
        assertThat(Commitments.commitment(DIGEST_A, salt(0))).matches("[0-9a-f]{64}");
    }

    @Property(tries = 200)
    void agrees_with_an_independent_sha256_for_any_digest_and_salt(@ForAll @Size(32) byte[] digest,
                                                                   @ForAll @Size(min = 16, max = 64) byte[] salt)
            throws Exception {
        var both = new byte[digest.length + salt.length];
        System.arraycopy(digest, 0, both, 0, digest.length);
        System.arraycopy(salt, 0, both, digest.length, salt.length);

        var expected = encode(MessageDigest.getInstance("SHA-256").digest(both));

        assertThat(Commitments.commitment(encode(digest), encode(salt))).isEqualTo(expected);
    }

    /** Hex decoding written out here, so the test does not share the code under test's HexFormat. */
    private static byte[] decode(String hex) {
        var bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static String encode(byte[] bytes) {
        var hex = new StringBuilder();
        for (var b : bytes) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return hex.toString();
    }
}
