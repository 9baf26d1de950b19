package io.gridledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

    private static final String TEST_HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void digests_bytes_as_the_standard_sha256() {
        assertThat(Sha256.of("test".getBytes(StandardCharsets.UTF_8)).hex()).isEqualTo(TEST_HEX);
        assertThat(Sha256.of(new byte[0]).hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void parses_hex_in_either_case_and_writes_it_lowercase() {
        assertThat(Sha256.parse(TEST_HEX.toUpperCase(java.util.Locale.ROOT))).isEqualTo(Sha256.parse(TEST_HEX));
        assertThat(Sha256.parse(TEST_HEX).toString()).isEqualTo(TEST_HEX);
    }

    @Test
    void converts_to_raw_bytes_and_to_the_base64_of_s3_checksum_headers() {
        Sha256 digest = Sha256.parse(TEST_HEX);

        assertThat(Sha256.fromBytes(digest.bytes())).isEqualTo(digest);
        assertThat(digest.base64()).isEqualTo("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=");
    }

    @Test
    void refuses_what_is_not_64_hex_digits_saying_what_is_wrong() {
        assertThatThrownBy(() -> Sha256.parse(TEST_HEX + "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits, not 65");
        assertThatThrownBy(() -> Sha256.parse("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 0");
        assertThatThrownBy(() -> Sha256.parse(TEST_HEX.substring(1) + "g"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'g' at index 63");
        assertThatThrownBy(() -> new Sha256(TEST_HEX.toUpperCase(java.util.Locale.ROOT)))
                .as("the canonical form is lowercase").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sha256.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes, not 31");
        assertThatThrownBy(() -> Sha256.parse(null)).isInstanceOf(NullPointerException.class).hasMessage("hex");
        assertThatThrownBy(() -> Sha256.of(null)).isInstanceOf(NullPointerException.class).hasMessage("bytes");
    }

    @Test
    void abbreviates_a_huge_malformed_value_in_its_message() {
        assertThatThrownBy(() -> Sha256.parse("x".repeat(10_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    }
}
