package io.gridledger.exchange;

import io.gridledger.exchange.OutputsRequest.OutputFile;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputManifestTest {

    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final String C = "c".repeat(64);

    @Test
    void the_manifest_is_the_header_then_one_line_per_file_in_unsigned_utf8_order() {
        // U+FF61 sorts before U+1F600 in UTF-8 (EF.. < F0..) but after it in UTF-16 (FF61 > D83D).
        var files = List.of(new OutputFile("z/\uD83D\uDE00", C, 3), new OutputFile("\uFF61", B, 0),
                new OutputFile("out/result.txt", A, 12));

        var expected = new ByteArrayOutputStream();
        expected.writeBytes("gridledger/outputs/v1\n".getBytes(StandardCharsets.US_ASCII));
        for (var line : List.of("out/result.txt\u000012\u0000" + A, "z/\uD83D\uDE00\u00003\u0000" + C,
                "\uFF61\u00000\u0000" + B)) {
            expected.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(OutputManifest.encode(files)).isEqualTo(expected.toByteArray());
        assertThat(OutputManifest.digest(files)).isEqualTo(Hex.sha256(expected.toByteArray()));
        assertThat(OutputManifest.encode(List.of())).isEqualTo("gridledger/outputs/v1\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void the_fingerprint_binds_the_digest_to_its_job_as_the_contract_computes_it() throws Exception {
        var digest = Hex.sha256("manifest".getBytes(StandardCharsets.UTF_8));
        var sha = MessageDigest.getInstance("SHA-256");
        sha.update("gridledger/result/v1\u0000j-1\u0000".getBytes(StandardCharsets.UTF_8));
        sha.update(HexFormat.of().parseHex(digest));

        assertThat(OutputManifest.fingerprint("j-1", digest)).isEqualTo(HexFormat.of().formatHex(sha.digest()));
        assertThat(OutputManifest.fingerprint("j-2", digest)).isNotEqualTo(OutputManifest.fingerprint("j-1", digest));
    }

    @Test
    void paths_that_would_escape_or_be_ambiguous_are_refused_with_the_reason() {
        assertThat(OutputManifest.pathProblem("../etc/passwd")).hasValueSatisfying(r -> assertThat(r).contains("'..'"));
        assertThat(OutputManifest.pathProblem("/abs")).hasValueSatisfying(r -> assertThat(r).contains("relative"));
        assertThat(OutputManifest.pathProblem("a//b")).isPresent();
        assertThat(OutputManifest.pathProblem("a/./b")).isPresent();
        assertThat(OutputManifest.pathProblem("a/")).isPresent();
        assertThat(OutputManifest.pathProblem("a\u0000b")).hasValueSatisfying(r -> assertThat(r).contains("NUL"));
        assertThat(OutputManifest.pathProblem("e\u0301")).hasValueSatisfying(r -> assertThat(r).contains("NFC"));
        assertThat(OutputManifest.pathProblem("\uD800x")).hasValueSatisfying(r -> assertThat(r).contains("surrogate"));
        assertThat(OutputManifest.pathProblem("x".repeat(4097))).isPresent();
        assertThat(OutputManifest.pathProblem("line\nbreak/ok é.txt")).isEmpty();

        assertThatThrownBy(() -> OutputManifest.encode(List.of(new OutputFile("a", A, 1), new OutputFile("a", A, 1))))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> OutputManifest.encode(List.of(new OutputFile("a", A.toUpperCase(), 1))))
                .hasMessageContaining("lowercase hex");
        assertThatThrownBy(() -> OutputManifest.encode(List.of(new OutputFile("a", A, -1))))
                .hasMessageContaining(">= 0");
    }
}
