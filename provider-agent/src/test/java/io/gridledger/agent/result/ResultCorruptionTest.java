package io.gridledger.agent.result;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gridledger.agent.faults.corrupt-results}: the liar's digest differs from the honest one; honest nodes agree. */
class ResultCorruptionTest {

    private static final String EMPTY_FOLDER_DIGEST = "0db534ac7259239e8058de076502667c5667979af7db2612267bec5ba76741fd";

    @TempDir
    Path honest;
    @TempDir
    Path liar;

    private static Map<String, byte[]> outputs() {
        var files = new LinkedHashMap<String, byte[]>();
        files.put("result.txt", bytes("42\n"));
        files.put("dir/data.bin", new byte[] {0, 1, 2, (byte) 255});
        files.put("dir/sub/empty", new byte[0]);
        return files;
    }

    private void sameOutputsInBoth() throws IOException {
        ResultDigestTest.write(honest, outputs());
        ResultDigestTest.write(liar, outputs());
    }

    @Nested
    class WithTheFlag {

        @Test
        void the_digest_differs_from_the_honest_digest_of_the_same_outputs() throws Exception {
            sameOutputsInBoth();

            ResultCorruption.when(true).apply(liar);

            var honestManifest = ResultDigest.unlimited().compute(honest);
            var liarManifest = ResultDigest.unlimited().compute(liar);
            assertThat(liarManifest.digest()).isNotEqualTo(honestManifest.digest());
            assertThat(ResultFormats.fingerprint("job-1", liarManifest.digest()))
                    .isNotEqualTo(ResultFormats.fingerprint("job-1", honestManifest.digest()));
            assertThat(liarManifest.entries()).extracting(OutputManifest.Entry::path)
                    .containsExactly("dir/data.bin", "dir/sub/empty", "result.txt");
            assertThat(Files.readString(liar.resolve("result.txt"))).isEqualTo("42\n" + ResultCorruption.MARK);
        }

        @Test
        void the_manifest_describes_the_altered_bytes_so_upload_commit_and_reveal_agree() throws Exception {
            ResultDigestTest.write(liar, outputs());

            ResultCorruption.when(true).apply(liar);
            var manifest = ResultDigest.unlimited().compute(liar);

            for (var entry : manifest.entries()) {
                byte[] uploaded = Files.readAllBytes(liar.resolve(entry.path()));
                assertThat(Sha256.hash(uploaded)).as(entry.path()).isEqualTo(entry.sha256());
                assertThat((long) uploaded.length).as(entry.path()).isEqualTo(entry.size());
            }
            assertThat(Sha256.hash(manifest.toBytes())).isEqualTo(manifest.digest());
        }

        @Test
        void an_empty_output_folder_gets_one_extra_file_and_a_digest_other_than_the_bare_header() throws Exception {
            ResultCorruption.when(true).apply(liar);

            var manifest = ResultDigest.unlimited().compute(liar);
            assertThat(manifest.entries()).extracting(OutputManifest.Entry::path)
                    .containsExactly(ResultCorruption.EMPTY_OUTPUTS_FILE);
            assertThat(manifest.digest().hex()).isNotEqualTo(EMPTY_FOLDER_DIGEST);
        }

        @Test
        void corrupting_again_after_a_restart_gives_the_same_digest() throws Exception {
            ResultDigestTest.write(liar, outputs());
            ResultCorruption.when(true).apply(liar);
            var once = ResultDigest.unlimited().compute(liar);

            ResultCorruption.when(true).apply(liar);

            assertThat(ResultDigest.unlimited().compute(liar).digest()).isEqualTo(once.digest());
        }

        @Test
        void two_liars_agree_with_each_other() throws Exception {
            sameOutputsInBoth();

            ResultCorruption.when(true).apply(honest);
            ResultCorruption.when(true).apply(liar);

            assertThat(ResultDigest.unlimited().compute(liar).digest())
                    .isEqualTo(ResultDigest.unlimited().compute(honest).digest());
        }
    }

    @Nested
    class WithoutTheFlag {

        @Test
        void the_digest_is_identical_to_the_honest_digest_of_the_same_outputs() throws Exception {
            sameOutputsInBoth();

            ResultCorruption.when(false).apply(liar);

            assertThat(ResultDigest.unlimited().compute(liar).digest())
                    .isEqualTo(ResultDigest.unlimited().compute(honest).digest());
            assertThat(Files.readString(liar.resolve("result.txt"))).isEqualTo("42\n");
        }

        @Test
        void an_empty_output_folder_stays_empty() throws Exception {
            ResultCorruption.when(false).apply(liar);

            assertThat(ResultDigest.unlimited().compute(liar).digest().hex()).isEqualTo(EMPTY_FOLDER_DIGEST);
            try (var files = Files.list(liar)) {
                assertThat(files).isEmpty();
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
