package io.gridledger.agent.result;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.Normalizer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.gridledger.agent.result.OutputRejectedException.Reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultDigestTest {

    @TempDir
    Path dir;

    /**
     * The tree of {@link #the_digest_matches_an_independently_computed_vector}, and its digest computed with Python:
     * <pre>
     * lines = b"gridledger/outputs/v1\n"
     * for p in sorted(files, key=lambda p: p.encode()):
     *     lines += p.encode() + b"\0" + str(len(files[p])).encode() + b"\0" + sha256(files[p]).hexdigest().encode() + b"\n"
     * sha256(lines).hexdigest()
     * </pre>
     */
    private static Map<String, byte[]> vectorTree() {
        var files = new LinkedHashMap<String, byte[]>();
        files.put("a.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        files.put("dir/b.bin", all);
        files.put("dir/sub/empty", new byte[0]);
        files.put("\u00e9t\u00e9.txt", "summer".getBytes(StandardCharsets.UTF_8));
        files.put("Z", "z".getBytes(StandardCharsets.UTF_8));
        files.put("a b\nc", "newline".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    @Test
    void the_digest_matches_an_independently_computed_vector() throws Exception {
        write(dir, vectorTree());
        OutputManifest manifest = ResultDigest.unlimited().compute(dir);
        assertThat(manifest.digest().hex()).isEqualTo("f04c433c9f27fd2fbb2747839e7cf6781e389fb6262d4eb477adbcc1fbd06187");
        assertThat(manifest.entries()).extracting(OutputManifest.Entry::path)
                .containsExactly("Z", "a b\nc", "a.txt", "dir/b.bin", "dir/sub/empty", "\u00e9t\u00e9.txt");
        assertThat(Sha256.hash(manifest.toBytes())).isEqualTo(manifest.digest());
    }

    @Test
    void an_empty_folder_has_the_digest_of_the_bare_header() throws Exception {
        assertThat(ResultDigest.unlimited().compute(dir).digest().hex())
                .isEqualTo("0db534ac7259239e8058de076502667c5667979af7db2612267bec5ba76741fd");
    }

    @Test
    void the_digest_matches_one_computed_with_coreutils() throws Exception {
        write(dir, Map.of("x/one", bytes("1"), "two", bytes("22"), "x/y/three", bytes("333")));
        // sha256sum per file, the manifest assembled by printf (ASCII names: no locale question), hashed by sha256sum.
        String script = "cd \"$1\" && { printf 'gridledger/outputs/v1\\n'; "
                + "find . -type f | sed 's|^\\./||' | LC_ALL=C sort | while IFS= read -r f; do "
                + "printf '%s\\000%s\\000%s\\n' \"$f\" \"$(stat -c %s \"$f\")\" \"$(sha256sum < \"$f\" | cut -c1-64)\"; "
                + "done; } | sha256sum | cut -c1-64";
        var process = new ProcessBuilder("sh", "-c", script, "sh", dir.toString()).redirectErrorStream(true).start();
        String expected = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(expected).matches("[0-9a-f]{64}");
        assertThat(ResultDigest.unlimited().compute(dir).digest().hex()).isEqualTo(expected);
    }

    @Nested
    class IsIndependentOf {

        @Test
        void timestamps_permissions_and_creation_order(@TempDir Path other) throws Exception {
            Map<String, byte[]> tree = vectorTree();
            write(dir, tree);
            var reversed = new LinkedHashMap<String, byte[]>();
            tree.keySet().stream().sorted(java.util.Comparator.reverseOrder()).forEach(k -> reversed.put(k, tree.get(k)));
            write(other, reversed);
            Files.setLastModifiedTime(other.resolve("a.txt"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
            Files.setPosixFilePermissions(other.resolve("dir/b.bin"), PosixFilePermissions.fromString("r--------"));
            Files.setPosixFilePermissions(other.resolve("Z"), PosixFilePermissions.fromString("rwxrwxrwx"));

            assertThat(ResultDigest.unlimited().compute(other).digest())
                    .isEqualTo(ResultDigest.unlimited().compute(dir).digest());
        }

        @Test
        void empty_directories_which_leave_no_trace(@TempDir Path other) throws Exception {
            write(dir, Map.of("a", bytes("a")));
            write(other, Map.of("a", bytes("a")));
            Files.createDirectories(other.resolve("empty/nested/deeper"));
            assertThat(ResultDigest.unlimited().compute(other).digest())
                    .isEqualTo(ResultDigest.unlimited().compute(dir).digest());
        }

        @Test
        void the_unicode_normalization_of_names(@TempDir Path other) throws Exception {
            String composed = "caf\u00e9/r\u00e9sum\u00e9.txt";
            String decomposed = Normalizer.normalize(composed, Normalizer.Form.NFD);
            assertThat(decomposed).isNotEqualTo(composed);
            write(dir, Map.of(composed, bytes("same")));
            write(other, Map.of(decomposed, bytes("same")));

            OutputManifest manifest = ResultDigest.unlimited().compute(other);
            assertThat(manifest.digest()).isEqualTo(ResultDigest.unlimited().compute(dir).digest());
            assertThat(manifest.entries().get(0).path()).isEqualTo(composed);
        }
    }

    @Nested
    class ChangesWith {

        @Test
        void one_flipped_byte_a_renamed_file_or_an_extra_empty_file() throws Exception {
            write(dir, vectorTree());
            Sha256 original = ResultDigest.unlimited().compute(dir).digest();

            Files.write(dir.resolve("a.txt"), bytes("hellp\n"));
            Sha256 flipped = ResultDigest.unlimited().compute(dir).digest();
            Files.write(dir.resolve("a.txt"), bytes("hello\n"));
            Files.move(dir.resolve("Z"), dir.resolve("z"));
            Sha256 renamed = ResultDigest.unlimited().compute(dir).digest();
            Files.move(dir.resolve("z"), dir.resolve("Z"));
            Files.createFile(dir.resolve("dir/sub/new"));
            Sha256 extra = ResultDigest.unlimited().compute(dir).digest();

            assertThat(java.util.List.of(original, flipped, renamed, extra)).doesNotHaveDuplicates();
        }
    }

    @Nested
    class Refuses {

        @Test
        void a_symlink_out_of_the_folder(@TempDir Path outside) throws Exception {
            Files.writeString(outside.resolve("secret"), "host file");
            Files.createSymbolicLink(dir.resolve("leak"), outside.resolve("secret"));
            assertRejected(Reason.SYMLINK_ESCAPES, "leak");
        }

        @Test
        void a_relative_symlink_climbing_out_of_the_folder() throws Exception {
            Files.createDirectories(dir.resolve("out"));
            Files.writeString(dir.resolve("sibling"), "not an output");
            Files.createSymbolicLink(dir.resolve("out/up"), Path.of("../sibling"));
            assertRejectedIn(dir.resolve("out"), Reason.SYMLINK_ESCAPES, "up");
        }

        @Test
        void a_dangling_symlink_and_a_symlink_to_a_directory() throws Exception {
            Files.createSymbolicLink(dir.resolve("nowhere"), dir.resolve("missing"));
            assertRejected(Reason.SYMLINK_DANGLING, "nowhere");
            Files.delete(dir.resolve("nowhere"));

            Files.createDirectories(dir.resolve("d"));
            Files.createSymbolicLink(dir.resolve("d/loop"), dir);
            assertRejected(Reason.SYMLINK_TO_DIRECTORY, "d/loop");
        }

        @Test
        void a_fifo() throws Exception {
            var mkfifo = new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start();
            assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(mkfifo.exitValue()).isZero();
            assertRejected(Reason.SPECIAL_FILE, "pipe");
        }

        @Test
        void two_names_equal_once_normalized() throws Exception {
            String composed = "\u00e9.txt";
            write(dir, Map.of(composed, bytes("1"), Normalizer.normalize(composed, Normalizer.Form.NFD), bytes("2")));
            assertRejected(Reason.NAME_COLLISION, composed);
        }

        @Test
        void a_name_that_is_not_utf8() throws Exception {
            // The JVM cannot create such a name: the shell writes raw bytes 0xff 0xfe.
            var touch = new ProcessBuilder("sh", "-c", "touch \"$1/$(printf 'bad\\377\\376')\"", "sh", dir.toString()).start();
            assertThat(touch.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(touch.exitValue()).isZero();
            assertThatThrownBy(() -> ResultDigest.unlimited().compute(dir))
                    .isInstanceOfSatisfying(OutputRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.NAME_NOT_UTF8));
        }

        @Test
        void more_files_or_bytes_than_the_limits() throws Exception {
            write(dir, Map.of("a", new byte[600], "b", new byte[600], "c", new byte[10]));
            assertThat(ResultDigest.withLimits(3, 1210).compute(dir).entries()).hasSize(3);
            assertThatThrownBy(() -> ResultDigest.withLimits(2, Long.MAX_VALUE).compute(dir))
                    .isInstanceOfSatisfying(OutputRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_FILES));
            assertThatThrownBy(() -> ResultDigest.withLimits(10, 1209).compute(dir))
                    .isInstanceOfSatisfying(OutputRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
        }

        private void assertRejected(Reason reason, String path) {
            assertRejectedIn(dir, reason, path);
        }

        private void assertRejectedIn(Path folder, Reason reason, String path) {
            assertThatThrownBy(() -> ResultDigest.unlimited().compute(folder))
                    .isInstanceOfSatisfying(OutputRejectedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(reason);
                        assertThat(e.path()).isEqualTo(path);
                    });
        }
    }

    @Test
    void a_symlink_to_a_file_inside_counts_as_that_files_bytes(@TempDir Path other) throws Exception {
        write(dir, Map.of("data/real", bytes("payload")));
        Files.createSymbolicLink(dir.resolve("alias"), Path.of("data/real"));
        write(other, Map.of("data/real", bytes("payload"), "alias", bytes("payload")));
        assertThat(ResultDigest.unlimited().compute(dir).digest())
                .isEqualTo(ResultDigest.unlimited().compute(other).digest());
    }

    static void write(Path root, Map<String, byte[]> files) throws IOException {
        for (var file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
