package io.gridledger.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The result's output manifest as the gateway serves it (gateway-service NODE-EXCHANGE.md):
 * {@code "gridledger/outputs/v1\n"}, then per file {@code path 0x00 size 0x00 sha256-hex '\n'}. Its SHA-256 is the
 * result digest ({@code X-Result-Digest}), which the ledger's agreed fingerprint binds.
 *
 * @param files the files it lists, in its order
 */
public record OutputManifest(List<Entry> files) {

    static final String HEADER = "gridledger/outputs/v1\n";

    /** One output file. */
    public record Entry(String path, long sizeBytes, String sha256) {
    }

    public OutputManifest {
        files = List.copyOf(files);
    }

    /** Parses the manifest's bytes; anything else is an {@link IllegalArgumentException} saying where. */
    public static OutputManifest parse(byte[] bytes) {
        var header = HEADER.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < header.length || !Arrays.equals(bytes, 0, header.length, header, 0, header.length)) {
            throw new IllegalArgumentException("not a gridledger/outputs/v1 manifest");
        }
        var files = new ArrayList<Entry>();
        int at = header.length;
        while (at < bytes.length) {
            int pathEnd = indexOf(bytes, (byte) 0, at);
            int sizeEnd = pathEnd < 0 ? -1 : indexOf(bytes, (byte) 0, pathEnd + 1);
            if (sizeEnd < 0 || sizeEnd + 65 >= bytes.length || bytes[sizeEnd + 65] != '\n') {
                throw new IllegalArgumentException("malformed manifest line " + (files.size() + 1));
            }
            var path = new String(bytes, at, pathEnd - at, StandardCharsets.UTF_8);
            var size = new String(bytes, pathEnd + 1, sizeEnd - pathEnd - 1, StandardCharsets.US_ASCII);
            var sha = new String(bytes, sizeEnd + 1, 64, StandardCharsets.US_ASCII);
            if (!size.matches("0|[1-9][0-9]{0,18}") || !sha.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("malformed manifest line " + (files.size() + 1));
            }
            files.add(new Entry(path, Long.parseLong(size), sha));
            at = sizeEnd + 66;
        }
        return new OutputManifest(files);
    }

    /** Whether {@code path} is safe to write under a folder: relative, no empty, {@code .} or {@code ..} segment. */
    public static boolean isSafePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return false;
        }
        for (var segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
