package io.gridledger.agent.result;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * The canonical description of a job's outputs, and its digest: what every honest node computes alike.
 *
 * <p>The manifest is the bytes {@code "gridledger/outputs/v1\n"} followed by one line per regular file, in ascending
 * unsigned byte order of the UTF-8 path:
 *
 * <pre>
 * path (NFC, '/'-separated, relative, UTF-8) 0x00 size (decimal) 0x00 sha256 (64 lowercase hex) '\n'
 * </pre>
 *
 * A name cannot hold 0x00, so a path holding '\n' still parses. The digest is SHA-256 of the manifest. Nothing else
 * enters: no timestamps, permissions, owners, directory entries (empty directories leave no trace, as in object
 * storage) or file-system order.
 */
public final class OutputManifest {

    /** The first line of every manifest; a new format would change it. */
    public static final String HEADER = "gridledger/outputs/v1\n";

    /** One regular file of the outputs. */
    public record Entry(String path, long size, Sha256 sha256) {
        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0");
            }
        }
    }

    private final List<Entry> entries;
    private final Sha256 digest;

    OutputManifest(List<Entry> sortedEntries) {
        this.entries = List.copyOf(sortedEntries);
        MessageDigest sha = Sha256.newDigest();
        try (var out = new java.security.DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.digest = Sha256.finish(sha);
    }

    /** The files, in manifest order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The result digest: SHA-256 of the manifest. */
    public Sha256 digest() {
        return digest;
    }

    public long totalBytes() {
        return entries.stream().mapToLong(Entry::size).sum();
    }

    /** Writes the manifest's bytes (to upload it beside the outputs, or to hash it). */
    public void writeTo(OutputStream out) throws IOException {
        out.write(HEADER.getBytes(StandardCharsets.US_ASCII));
        for (Entry entry : entries) {
            out.write(entry.path().getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.write(Long.toString(entry.size()).getBytes(StandardCharsets.US_ASCII));
            out.write(0);
            out.write(entry.sha256().hex().getBytes(StandardCharsets.US_ASCII));
            out.write('\n');
        }
    }

    public byte[] toBytes() {
        var out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
