package io.gridledger.gateway.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartReaderTest {

    static final String BOUNDARY = "----gridledger-7MA4YWxkTrZu0gW";

    static byte[] body(String preamble, Object... namesAndContents) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < namesAndContents.length; i += 2) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + namesAndContents[i]
                    + "\"; filename=\"f\\\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes((byte[]) namesAndContents[i + 1]);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** An input stream that hands out one byte per read: every boundary falls across reads. */
    static InputStream trickle(byte[] bytes) {
        var in = new ByteArrayInputStream(bytes);
        return new InputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len == 0 ? 0 : in.read(b, off, 1);
            }
        };
    }

    static List<String> read(InputStream in) throws IOException {
        var reader = new MultipartReader(in, BOUNDARY);
        var parts = new ArrayList<String>();
        for (var part = reader.next(); part.isPresent(); part = reader.next()) {
            parts.add(part.get().name() + "=" + new String(part.get().content().readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        return parts;
    }

    @Test
    void parts_are_read_in_order_with_their_names_and_bytes_whatever_the_reads_look_like() throws Exception {
        // a part holding almost-delimiters: CRLF, "--", and the boundary without its leading CRLF
        byte[] tricky = ("a\r\nb\r\n-\r\n--" + BOUNDARY.substring(0, 10) + "\r\n--x--" + BOUNDARY + "!").getBytes(StandardCharsets.US_ASCII);
        byte[] body = body("a preamble\r\n", "spec", "{\"x\":1}".getBytes(StandardCharsets.US_ASCII), "data.bin", tricky,
                "empty", new byte[0]);

        var expected = List.of("spec={\"x\":1}", "data.bin=" + new String(tricky, StandardCharsets.ISO_8859_1), "empty=");
        assertThat(read(new ByteArrayInputStream(body))).isEqualTo(expected);
        assertThat(read(trickle(body))).isEqualTo(expected);
    }

    @Test
    void a_part_larger_than_the_buffer_streams_through_intact_and_an_unread_part_is_skipped() throws Exception {
        byte[] large = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(large);
        var reader = new MultipartReader(new ByteArrayInputStream(body("", "skipped", large, "large", large, "end",
                "x".getBytes(StandardCharsets.US_ASCII))), BOUNDARY);

        var skipped = reader.next().orElseThrow();
        assertThat(skipped.filename()).contains("f\"x.bin");
        assertThat(skipped.contentType()).contains("application/octet-stream");
        var part = reader.next().orElseThrow();
        var sha = MessageDigest.getInstance("SHA-256");
        var buffer = new byte[10_000];
        long size = 0;
        for (int n; (n = part.content().read(buffer)) >= 0; ) {
            sha.update(buffer, 0, n);
            size += n;
        }
        assertThat(size).isEqualTo(large.length);
        assertThat(sha.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(large));
        assertThat(reader.next().orElseThrow().name()).isEqualTo("end");
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void a_body_cut_before_its_closing_boundary_or_without_part_names_is_malformed() {
        byte[] whole = body("", "spec", "{}".getBytes(StandardCharsets.US_ASCII));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 30);
        assertThatThrownBy(() -> read(new ByteArrayInputStream(cut)))
                .isInstanceOf(MultipartReader.MalformedMultipartException.class).hasMessageContaining("ended");

        byte[] nameless = ("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + BOUNDARY + "--").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> read(new ByteArrayInputStream(nameless)))
                .isInstanceOf(MultipartReader.MalformedMultipartException.class).hasMessageContaining("name");
    }

    @Test
    void the_boundary_is_read_from_the_content_type_quoted_or_not_and_a_bad_one_is_refused() {
        assertThat(MultipartReader.boundary("multipart/form-data; boundary=abc123")).contains("abc123");
        assertThat(MultipartReader.boundary("multipart/form-data; charset=utf-8; boundary=\"a b:c\"")).contains("a b:c");
        assertThat(MultipartReader.boundary("multipart/form-data")).isEmpty();
        assertThat(MultipartReader.boundary("multipart/form-data; boundary=" + "x".repeat(71))).isEmpty();
        assertThat(MultipartReader.boundary("multipart/form-data; boundary=\"bad\r\n\"")).isEmpty();
    }
}
