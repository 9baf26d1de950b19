package io.gridledger.agent.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Moves bytes to and from presigned URLs as streams: a download is hashed while it is written to disk and only kept
 * when its SHA-256 and length are the expected ones; an upload is read from its file as it is sent. Memory stays at
 * one buffer whatever the size.
 */
public final class Transfers {

    private static final int BUFFER = 128 * 1024;

    private final HttpClient http;
    private final Duration timeout;

    public Transfers(HttpClient http, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A download whose bytes were not the ones expected. */
    public static final class DigestMismatch extends IOException {
        public DigestMismatch(String message) {
            super(message);
        }
    }

    /**
     * GETs {@code url} into {@code target}, checking {@code sha256} (hex) and {@code sizeBytes}; {@code target} is
     * written only when both match (through a temporary file renamed over it).
     *
     * @throws DigestMismatch the bytes were other bytes
     * @throws IOException    the URL did not answer 200, or the transfer failed
     */
    public long download(String url, Path target, String sha256, long sizeBytes) throws IOException {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET of " + target.getFileName() + " answered " + response.statusCode());
            }
            var sha = sha256();
            long length = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    length += n;
                    if (length > sizeBytes) {
                        throw new DigestMismatch(target.getFileName() + " is longer than the job's " + sizeBytes + " bytes");
                    }
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (length != sizeBytes || !actual.equals(sha256)) {
                throw new DigestMismatch(target.getFileName() + ": " + length + " bytes hashing to " + actual
                        + ", the job says " + sizeBytes + " bytes hashing to " + sha256);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return length;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** PUTs the bytes of {@code file} to {@code url}, streamed from the file with its length as Content-Length. */
    public void upload(String url, Path file) throws IOException {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("PUT of " + file.getFileName() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
