package io.gridledger.agent.result;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Vectors computed outside Java, with Python's hashlib, straight from chaincode/README.md's formats:
 *
 * <pre>
 * h = lambda b: hashlib.sha256(b).digest()
 * d = h(b"hello")
 * fp = h(b"gridledger/result/v1\0" + b"job-1" + b"\0" + d)
 * c = h(b"gridledger/commit/v1\0job-1\0" + b"2\0" + b"Org1MSP/node-a" + b"\0" + fp + bytes(range(16)))
 * fp2 = h(b"gridledger/result/v1\0" + "jöb-ü".encode() + b"\0" + d)
 * c2 = h(b"gridledger/commit/v1\0" + "jöb-ü".encode() + b"\0" + b"10\0" + "Org2MSP/nœud".encode() + b"\0" + fp2
 *        + bytes([0xff] * 64))
 * </pre>
 */
class ResultFormatsTest {

    private static final Sha256 HELLO = Sha256.ofHex("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");

    @Test
    void fingerprint_matches_the_independently_computed_vector() {
        assertThat(ResultFormats.fingerprint("job-1", HELLO).hex())
                .isEqualTo("b75bbf3736deed416ad83e2e505fec21b2d25ff096f5464137555ce3155ff5b5");
        assertThat(ResultFormats.fingerprint("jöb-ü", HELLO).hex())
                .isEqualTo("2a1d10bf808e2b1851166bf7af97a1e96a97d2355f5bb2939ed93a15f3e4fc90");
    }

    @Test
    void commitment_matches_the_independently_computed_vector() {
        byte[] salt = new byte[16];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) i;
        }
        Sha256 fingerprint = ResultFormats.fingerprint("job-1", HELLO);
        assertThat(ResultFormats.commitment("job-1", 2, "Org1MSP/node-a", fingerprint, Salt.of(salt)).hex())
                .isEqualTo("bf30c15aad98a6012679dd147f888ae60041d7285ae3e645f28d47187e271960");

        byte[] longSalt = new byte[64];
        java.util.Arrays.fill(longSalt, (byte) 0xff);
        Sha256 unicodeFingerprint = ResultFormats.fingerprint("jöb-ü", HELLO);
        assertThat(ResultFormats.commitment("jöb-ü", 10, "Org2MSP/nœud", unicodeFingerprint, Salt.of(longSalt)).hex())
                .isEqualTo("5e96997ac346f8162a7bc42e2725799ef2a96a8451599510735f67cb48e60abe");
    }

    @Test
    void a_commitment_is_bound_to_its_replica_and_node() {
        Sha256 fingerprint = ResultFormats.fingerprint("job-1", HELLO);
        Salt salt = Salt.random(new SecureRandom());
        Sha256 mine = ResultFormats.commitment("job-1", 0, "Org1MSP/a", fingerprint, salt);
        assertThat(ResultFormats.commitment("job-1", 1, "Org1MSP/a", fingerprint, salt)).isNotEqualTo(mine);
        assertThat(ResultFormats.commitment("job-1", 0, "Org2MSP/b", fingerprint, salt)).isNotEqualTo(mine);
        assertThat(ResultFormats.commitment("job-1", 0, "Org1MSP/a", fingerprint, salt)).isEqualTo(mine);
    }

    @Test
    void salts_are_16_to_64_random_bytes() {
        var random = new SecureRandom();
        assertThat(Salt.random(random).length()).isEqualTo(32);
        assertThat(Salt.random(random, 16).length()).isEqualTo(16);
        assertThat(Salt.random(random, 64).length()).isEqualTo(64);
        assertThatThrownBy(() -> Salt.random(random, 15)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Salt.random(random, 65)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Salt.ofHex("00ff")).isInstanceOf(IllegalArgumentException.class);

        var seen = new HashSet<Salt>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(Salt.random(random))).as("salt %d is fresh", i).isTrue();
        }
    }

    @Test
    void a_salt_round_trips_through_hex_and_never_prints_itself() {
        Salt salt = Salt.random(new SecureRandom());
        assertThat(Salt.ofHex(salt.hex())).isEqualTo(salt);
        assertThat(salt.hex()).matches("[0-9a-f]{64}");
        assertThat(salt.toString()).doesNotContain(salt.hex()).isEqualTo("Salt[32 bytes]");
    }
}
