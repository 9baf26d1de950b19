package io.gridledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/** The digesting and verifying streams, with no server. */
class StreamsTest {

    private static final byte[] BYTES = TestContent.bytes(100_000, 1);

    @Test
    void a_digesting_stream_digests_and_counts_every_byte_however_it_is_read() throws IOException {
        var digesting = new DigestingInputStream(new ByteArrayInputStream(BYTES));

        assertThat(digesting.read()).isEqualTo(BYTES[0] & 0xff);
        assertThat(digesting.skip(999)).isEqualTo(999);
        digesting.readNBytes(5000);
        digesting.transferTo(OutputStream.nullOutputStream());

        assertThat(digesting.byteCount()).isEqualTo(BYTES.length);
        assertThat(digesting.sha256()).isEqualTo(Sha256.of(BYTES));
    }

    @Test
    void a_digesting_stream_has_no_digest_before_its_end() throws IOException {
        var digesting = new DigestingInputStream(new ByteArrayInputStream(BYTES));
        digesting.readNBytes(10);

        assertThatThrownBy(digesting::sha256).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("10 bytes so far");
        assertThat(digesting.markSupported()).isFalse();
        assertThatThrownBy(digesting::reset).isInstanceOf(IOException.class);
    }

    @Test
    void a_verifying_stream_passes_bytes_that_match_their_key() throws IOException {
        ObjectKey key = ObjectKey.of(Sha256.of(BYTES));

        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(BYTES), "bucket", key)) {
            assertThat(in.readAllBytes()).isEqualTo(BYTES);
            assertThat(in.read()).as("the end stays the end").isEqualTo(-1);
        }
    }

    @Test
    void a_verifying_stream_fails_at_the_end_when_the_bytes_are_not_their_keys() throws IOException {
        ObjectKey key = ObjectKey.of(Sha256.of(BYTES));
        byte[] corrupt = BYTES.clone();
        corrupt[corrupt.length - 1] ^= (byte) 0x80;

        var in = new VerifyingInputStream(new ByteArrayInputStream(corrupt), "jobs", key);
        byte[] all = new byte[corrupt.length];

        assertThat(in.read(all, 0, all.length)).as("the bytes are handed out before the end is known")
                .isEqualTo(corrupt.length);
        assertThat(all).isEqualTo(corrupt);
        assertThatThrownBy(in::read).isInstanceOfSatisfying(DigestMismatchException.class, e -> {
            assertThat(e.bucket()).isEqualTo("jobs");
            assertThat(e.objectName()).isEqualTo(key.name());
            assertThat(e.expected()).isEqualTo(key.sha256());
            assertThat(e.actual()).isEqualTo(Sha256.of(corrupt));
            assertThat(e.stage()).isEqualTo(DigestMismatchException.Stage.READ);
            assertThat(e).hasMessage("object " + key.name() + " in bucket jobs is corrupt: expected SHA-256 "
                    + key.sha256() + " but its bytes hash to " + Sha256.of(corrupt));
        });
        assertThatThrownBy(() -> in.read(new byte[10])).isInstanceOf(DigestMismatchException.class);
        assertThatThrownBy(() -> in.skip(1)).isInstanceOf(DigestMismatchException.class);
    }

    @Test
    void a_verifying_stream_catches_a_truncated_object_and_skipping_does_not_dodge_the_check() {
        ObjectKey key = ObjectKey.of(Sha256.of(BYTES));

        var truncated = new VerifyingInputStream(new ByteArrayInputStream(BYTES, 0, BYTES.length - 1), "b", key);

        assertThatThrownBy(() -> {
            truncated.skip(Long.MAX_VALUE);
            truncated.read();
        }).isInstanceOf(DigestMismatchException.class);
    }
}
