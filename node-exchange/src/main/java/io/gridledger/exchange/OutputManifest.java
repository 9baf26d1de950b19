package io.gridledger.exchange;

import io.gridledger.exchange.OutputsRequest.OutputFile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The canonical output manifest (the provider agent's {@code OutputManifest}) and the result formats of the contract,
 * so the node and the client org's gateway compute the same bytes:
 *
 * <pre>
 * manifest    = "gridledger/outputs/v1\n" then per regular file, ascending by the unsigned bytes of its UTF-8 path:
 *               path 0x00 size(decimal) 0x00 sha256(64 lowercase hex) '\n'
 * digest      = SHA-256(manifest)
 * fingerprint = SHA-256("gridledger/result/v1" 0x00 jobId 0x00 digest)      (digest as its 32 raw bytes)
 * </pre>
 *
 * <pre>{@code
 * byte[] manifest = OutputManifest.encode(request.files());         // refuses bad paths and duplicates
 * String digest = Hex.sha256(manifest);
 * String fingerprint = OutputManifest.fingerprint(jobId, digest);
 * }</pre>
 */
public final class OutputManifest {

    public static final String HEADER = "gridledger/outputs/v1\n";
    static final String RESULT_DOMAIN = "gridledger/result/v1";
    /** The longest path accepted, in UTF-8 bytes (Linux PATH_MAX). */
    public static final int MAX_PATH_BYTES = 4096;

    private OutputManifest() {
    }

    /**
     * What is wrong with an output path, if anything: it must be relative, '/'-separated, NFC-normalized Unicode
     * without NUL, with no empty, {@code .} or {@code ..} segment and at most {@link #MAX_PATH_BYTES} UTF-8 bytes.
     */
    public static Optional<String> pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (path.indexOf('\0') >= 0) {
            return Optional.of("must not contain NUL");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == path.length() || !Character.isLowSurrogate(path.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(path.charAt(i - 1)))) {
                return Optional.of("is not valid Unicode (a lone surrogate)");
            }
        }
        if (path.indexOf('\uFFFD') >= 0) {
            return Optional.of("holds U+FFFD: a name that was not valid UTF-8");
        }
        if (!Normalizer.isNormalized(path, Normalizer.Form.NFC)) {
            return Optional.of("must be NFC-normalized");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return Optional.of("is longer than " + MAX_PATH_BYTES + " UTF-8 bytes");
        }
        if (path.startsWith("/")) {
            return Optional.of("must be relative (no leading '/')");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.of("must not have an empty, '.' or '..' segment");
            }
        }
        return Optional.empty();
    }

    /** The files in manifest order (ascending unsigned UTF-8 bytes of the path). */
    public static List<OutputFile> sorted(List<OutputFile> files) {
        var sorted = new ArrayList<>(Objects.requireNonNull(files, "files"));
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.path().getBytes(StandardCharsets.UTF_8),
                b.path().getBytes(StandardCharsets.UTF_8)));
        return sorted;
    }

    /**
     * The manifest's bytes.
     *
     * @throws IllegalArgumentException naming the first file whose path, digest or size is invalid, or a path listed
     *                                  twice
     */
    public static byte[] encode(List<OutputFile> files) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(HEADER.getBytes(StandardCharsets.US_ASCII));
        String previous = null;
        for (var file : sorted(files)) {
            Objects.requireNonNull(file, "file");
            var problem = pathProblem(file.path());
            if (problem.isPresent()) {
                throw new IllegalArgumentException("output path \"" + file.path() + "\" " + problem.get());
            }
            if (!Hex.isSha256(file.sha256())) {
                throw new IllegalArgumentException("output \"" + file.path() + "\": sha256 is 64 lowercase hex digits");
            }
            if (file.sizeBytes() < 0) {
                throw new IllegalArgumentException("output \"" + file.path() + "\": size must be >= 0");
            }
            if (file.path().equals(previous)) {
                throw new IllegalArgumentException("output path \"" + file.path() + "\" is listed twice");
            }
            previous = file.path();
            out.writeBytes(file.path().getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.writeBytes(Long.toString(file.sizeBytes()).getBytes(StandardCharsets.US_ASCII));
            out.write(0);
            out.writeBytes(file.sha256().getBytes(StandardCharsets.US_ASCII));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** hex SHA-256 of {@link #encode}: the result digest. */
    public static String digest(List<OutputFile> files) {
        return Hex.sha256(encode(files));
    }

    /** The result fingerprint of a digest (hex in, hex out): what a round-0 replica reveals. */
    public static String fingerprint(String jobId, String digestHex) {
        Objects.requireNonNull(jobId, "jobId");
        if (!Hex.isSha256(digestHex)) {
            throw new IllegalArgumentException("a digest is 64 lowercase hex digits");
        }
        var sha = Hex.newSha256();
        sha.update(RESULT_DOMAIN.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(jobId.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(HexFormat.of().parseHex(digestHex));
        return Hex.of(sha.digest());
    }
}
