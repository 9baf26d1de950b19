package io.gridledger.chaincode.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static io.gridledger.chaincode.domain.Fixtures.DIGEST_A;
import static io.gridledger.chaincode.domain.Fixtures.salt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The result formats of commit–reveal, checked against an independent encoding written out here (the agent and any
 * other client must produce the same bytes).
 */
class CommitmentsTest {

    private static final String NODE = "Org2MSP/node-a";

    @Test
    void the_fingerprint_is_sha256_of_the_domain_the_job_id_and_the_raw_digest() throws Exception {
        var expected = sha256(concat(utf8z("gridledger/result/v1"), utf8z("job-1"), decode(DIGEST_A)));

        assertThat(Commitments.fingerprint("job-1", DIGEST_A)).isEqualTo(expected);
    }

    @Test
    void the_fingerprint_differs_per_job_for_the_same_outputs() {
        assertThat(Commitments.fingerprint("job-1", DIGEST_A)).isNotEqualTo(Commitments.fingerprint("job-2", DIGEST_A));
    }

    @Test
    void the_commitment_covers_job_replica_node_fingerprint_and_salt() throws Exception {
        var fingerprint = Commitments.fingerprint("job-1", DIGEST_A);
        var expected = sha256(concat(utf8z("gridledger/commit/v1"), utf8z("job-1"), utf8z("2"), utf8z(NODE),
                decode(fingerprint), decode(salt(0))));

        assertThat(Commitments.commitment("job-1", 2, NODE, fingerprint, salt(0))).isEqualTo(expected);
    }

    @Test
    void a_copied_commitment_opens_for_no_other_replica_or_node() {
        var fingerprint = Commitments.fingerprint("job-1", DIGEST_A);
        var original = Commitments.commitment("job-1", 0, NODE, fingerprint, salt(0));

        assertThat(Commitments.commitment("job-1", 1, NODE, fingerprint, salt(0))).isNotEqualTo(original);
        assertThat(Commitments.commitment("job-1", 0, "Org3MSP/node-b", fingerprint, salt(0))).isNotEqualTo(original);
        assertThat(Commitments.commitment("job-2", 0, NODE, fingerprint, salt(0))).isNotEqualTo(original);
        assertThat(Commitments.commitment("job-1", 0, NODE, fingerprint, salt(1))).isNotEqualTo(original);
    }

    @Test
    void is_64_lowercase_hex_characters() {
        assertThat(Commitments.commitment("job-1", 0, NODE, DIGEST_A, salt(0))).matches("[0-9a-f]{64}");
    }

    @Property(tries = 200)
    void agrees_with_an_independent_encoding_for_any_fingerprint_salt_and_replica(
            @ForAll @Size(32) byte[] fingerprint, @ForAll @Size(min = 16, max = 64) byte[] salt,
            @ForAll @IntRange(min = 0, max = 11) int replica) throws Exception {
        var expected = sha256(concat(utf8z("gridledger/commit/v1"), utf8z("job-x"), utf8z(Integer.toString(replica)),
                utf8z(NODE), fingerprint, salt));

        assertThat(Commitments.commitment("job-x", replica, NODE, encode(fingerprint), encode(salt))).isEqualTo(expected);
    }

    private static byte[] utf8z(String text) {
        var bytes = text.getBytes(StandardCharsets.UTF_8);
        var withZero = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, withZero, 0, bytes.length);
        return withZero;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return encode(MessageDigest.getInstance("SHA-256").digest(bytes));
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
