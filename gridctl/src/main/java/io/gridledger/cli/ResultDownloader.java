package io.gridledger.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Downloads a completed job's outputs and verifies every byte against the ledger's agreement: the manifest's SHA-256
 * must be {@code X-Result-Digest} (which the gateway checked against the ledger's fingerprint), each file's SHA-256 and
 * size what the manifest lists. Files are written to a staging folder next to the target and moved in only when all
 * of them verified; on any mismatch nothing is kept and the failure exits {@link ExitCodes#DIGEST}.
 */
public final class ResultDownloader {

    private static final long MAX_MANIFEST_BYTES = 64L * 1024 * 1024;

    /** What was downloaded: the digest verified, the fingerprint the gateway named, the files written. */
    public record Downloaded(String jobId, String resultDigest, String fingerprint, List<OutputManifest.Entry> files,
                             Path directory, JsonNode inline) {
        /** A completed job without stored outputs: the ledger's result only. */
        boolean isInline() {
            return inline != null;
        }
    }

    private final GatewayClient api;

    public ResultDownloader(GatewayClient api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    public Downloaded download(String jobId, Path directory) {
        var answer = api.redirectOf("/jobs/" + jobId + "/result");
        var fingerprint = answer.headers().firstValue("X-Result-Fingerprint").orElse(null);
        if (answer.statusCode() == 200) {
            JsonNode inline;
            try {
                inline = GatewayClient.JSON.readTree(answer.body());
            } catch (IOException e) {
                throw ApiFailure.local("BAD_ANSWER", "the result is not JSON", ExitCodes.ERROR);
            }
            return new Downloaded(jobId, null, fingerprint, List.of(), null, inline);
        }
        var location = answer.headers().firstValue("Location")
                .orElseThrow(() -> ApiFailure.local("BAD_ANSWER", "303 without Location", ExitCodes.ERROR));
        var expected = answer.headers().firstValue("X-Result-Digest")
                .orElseThrow(() -> ApiFailure.local("BAD_ANSWER", "303 without X-Result-Digest", ExitCodes.ERROR));
        byte[] manifestBytes;
        try (var in = api.presignedGet(URI.create(location)).body()) {
            manifestBytes = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw ApiFailure.local("DOWNLOAD_FAILED", "reading the manifest: " + e.getMessage(), ExitCodes.ERROR);
        }
        var actual = hex(sha256().digest(manifestBytes));
        if (!actual.equalsIgnoreCase(expected)) {
            throw mismatch("the manifest's SHA-256 is " + actual + ", X-Result-Digest says " + expected);
        }
        OutputManifest manifest;
        try {
            manifest = OutputManifest.parse(manifestBytes);
        } catch (IllegalArgumentException e) {
            throw mismatch("the manifest: " + e.getMessage());
        }
        for (var file : manifest.files()) {
            if (!OutputManifest.isSafePath(file.path())) {
                throw mismatch("the manifest names an unsafe path: " + file.path());
            }
        }
        var target = directory.toAbsolutePath().normalize();
        Path staging;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".gridctl-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (var file : manifest.files()) {
                fetch(jobId, file, staging.resolve(file.path()));
            }
            Files.write(staging.resolve(".result-manifest"), manifestBytes);
            Files.createDirectories(target);
            for (var file : manifest.files()) {
                var to = target.resolve(file.path());
                Files.createDirectories(to.getParent());
                Files.move(staging.resolve(file.path()), to, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(staging.resolve(".result-manifest"), target.resolve(".result-manifest"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(staging);
        }
        return new Downloaded(jobId, actual, fingerprint, manifest.files(), target, null);
    }

    private void fetch(String jobId, OutputManifest.Entry file, Path to) throws IOException {
        var answer = api.redirectOf("/jobs/" + jobId + "/result/files/" + GatewayClient.pathSegments(file.path()));
        var location = answer.headers().firstValue("Location")
                .orElseThrow(() -> ApiFailure.local("BAD_ANSWER", "no Location for " + file.path(), ExitCodes.ERROR));
        var announced = answer.headers().firstValue("X-Object-Sha256").orElse(file.sha256());
        if (!announced.equalsIgnoreCase(file.sha256())) {
            throw mismatch(file.path() + ": the gateway announces SHA-256 " + announced + ", the manifest lists " + file.sha256());
        }
        Files.createDirectories(to.getParent());
        var sha = sha256();
        long size = 0;
        try (InputStream in = api.presignedGet(URI.create(location)).body(); OutputStream out = Files.newOutputStream(to)) {
            var buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
                if (size > file.sizeBytes()) {
                    throw mismatch(file.path() + ": more than the " + file.sizeBytes() + " bytes the manifest lists");
                }
            }
        }
        var actual = hex(sha.digest());
        if (size != file.sizeBytes() || !actual.equals(file.sha256())) {
            throw mismatch(file.path() + ": downloaded " + size + " bytes with SHA-256 " + actual + ", the manifest lists "
                    + file.sizeBytes() + " bytes with " + file.sha256());
        }
    }

    private static ApiFailure mismatch(String message) {
        return ApiFailure.local("DIGEST_MISMATCH", message + "; nothing was kept", ExitCodes.DIGEST);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            var all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (var path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover staging folder is harmless and named for what it is
        }
    }
}
