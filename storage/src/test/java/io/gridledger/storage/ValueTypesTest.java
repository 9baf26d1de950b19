package io.gridledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Keys, uploads, put options and object info: what they accept and what they refuse. */
class ValueTypesTest {

    private static final Sha256 DIGEST = Sha256.of(new byte[] {42});

    @Test
    void an_object_key_is_sha256_slash_hex_and_parses_back() {
        ObjectKey key = ObjectKey.of(DIGEST);

        assertThat(key.name()).isEqualTo("sha256/" + DIGEST.hex());
        assertThat(ObjectKey.parse(key.name())).isEqualTo(key);
        assertThat(key).hasToString(key.name());
    }

    @Test
    void an_object_key_refuses_other_prefixes_and_bad_digests() {
        assertThatThrownBy(() -> ObjectKey.parse(DIGEST.hex())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts with \"sha256/\"");
        assertThatThrownBy(() -> ObjectKey.parse("sha256/1234")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> ObjectKey.of(null)).isInstanceOf(NullPointerException.class).hasMessage("sha256");
    }

    @Test
    void a_pending_upload_round_trips_through_its_token() {
        var upload = new PendingUpload(ObjectKey.of(DIGEST), "8d0c7c4e-0b1f-4f5e-9e43-6a1b2c3d4e5f");

        assertThat(upload.token()).isEqualTo(DIGEST.hex() + "/8d0c7c4e-0b1f-4f5e-9e43-6a1b2c3d4e5f");
        assertThat(PendingUpload.parse(upload.token())).isEqualTo(upload);
    }

    @Test
    void a_pending_upload_refuses_ids_that_could_escape_its_staging_name() {
        assertThatThrownBy(() -> PendingUpload.parse(DIGEST.hex() + "/../../sha256/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("letters, digits or '-'");
        assertThatThrownBy(() -> PendingUpload.parse(DIGEST.hex() + "/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PendingUpload.parse("nothex/abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PendingUpload.parse("no-slash")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<sha256 hex>/<upload id>");
    }

    @Test
    void put_options_default_to_octet_stream_expecting_nothing() {
        assertThat(PutOptions.DEFAULT.contentType()).isEqualTo("application/octet-stream");
        assertThat(PutOptions.DEFAULT.expectedSha256()).isEmpty();
        assertThat(PutOptions.DEFAULT.expectedSize()).isEmpty();

        PutOptions options = PutOptions.DEFAULT.expectingSha256(DIGEST).expectingSize(1)
                .withContentType("text/plain; charset=utf-8");

        assertThat(options.expectedSha256()).contains(DIGEST);
        assertThat(options.expectedSize()).hasValue(1);
        assertThat(options.contentType()).isEqualTo("text/plain; charset=utf-8");
    }

    @Test
    void put_options_refuse_negative_sizes_and_malformed_media_types() {
        assertThatThrownBy(() -> PutOptions.DEFAULT.expectingSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected size must not be negative: -1");
        assertThatThrownBy(() -> PutOptions.DEFAULT.withContentType("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PutOptions.DEFAULT.withContentType("tar")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PutOptions.DEFAULT.withContentType("text/plain\nX: y"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PutOptions.DEFAULT.expectingSha256(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("sha256");
    }

    @Test
    void object_info_refuses_a_negative_size() {
        assertThatThrownBy(() -> new ObjectInfo(ObjectKey.of(DIGEST), -1, "a/b", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThat(new ObjectInfo(ObjectKey.of(DIGEST), 1, "a/b", Instant.EPOCH).sha256()).isEqualTo(DIGEST);
    }

    @Test
    void an_object_not_found_names_its_key_only_when_it_was_one() {
        var missingKey = new ObjectNotFoundException("bucket", ObjectKey.of(DIGEST).name());
        var missingUpload = new ObjectNotFoundException("bucket", "incoming/presigned/x");

        assertThat(missingKey.key()).contains(ObjectKey.of(DIGEST));
        assertThat(missingUpload.key()).isEmpty();
        assertThat(missingUpload).hasMessage("no object incoming/presigned/x in bucket bucket");
    }
}
