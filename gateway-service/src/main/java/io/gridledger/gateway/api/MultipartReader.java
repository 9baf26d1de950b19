package io.gridledger.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578, RFC 2046 §5.1) one part at a time, each part's bytes as a stream
 * that ends at the next boundary: memory stays at one buffer however large a part is, so a file part can go straight
 * to the object store while it arrives.
 *
 * <pre>{@code
 * var reader = new MultipartReader(body, MultipartReader.boundary(contentType).orElseThrow());
 * for (var part = reader.next(); part.isPresent(); part = reader.next()) {
 *     store.put(part.get().content(), options);     // read to its end (or not: next() skips the rest)
 * }
 * }</pre>
 *
 * A body that ends before the closing boundary, a part without a {@code Content-Disposition: form-data; name=…} or
 * with headers over 16 KiB is a {@link MalformedMultipartException}.
 */
final class MultipartReader {

    /** RFC 2046 bchars: the boundary is 1–70 of these, not ending in a space. */
    private static final Pattern BOUNDARY = Pattern.compile("[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]");
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** One part: its form field name, file name if any, content type if given, and its bytes. */
    record Part(String name, Optional<String> filename, Optional<String> contentType, InputStream content) {
    }

    /** The body is not the multipart body it claims to be. */
    static final class MalformedMultipartException extends IOException {
        MalformedMultipartException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private boolean inputEnded;
    private boolean started;
    private boolean finished;
    private PartStream current;

    MultipartReader(InputStream in, String boundary) {
        this.in = Objects.requireNonNull(in, "in");
        if (!BOUNDARY.matcher(Objects.requireNonNull(boundary, "boundary")).matches()) {
            throw new IllegalArgumentException("not a multipart boundary: \"" + boundary + "\"");
        }
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        // The first boundary may open the body without a line break before it: read as if one were there.
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    /** The boundary parameter of a {@code multipart/form-data} content type, unquoted. */
    static Optional<String> boundary(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        for (var parameter : contentType.split(";")) {
            var trimmed = parameter.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                var value = trimmed.substring("boundary=".length());
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return BOUNDARY.matcher(value).matches() ? Optional.of(value) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The next part, after skipping what the caller left unread of the previous one; empty after the last. */
    Optional<Part> next() throws IOException {
        if (finished) {
            return Optional.empty();
        }
        if (current != null) {
            current.skipToEnd();
            current = null;
        } else if (!started) {
            started = true;
            new PartStream().skipToEnd();   // the preamble
        }
        // after a delimiter: "--" closes the body; otherwise optional padding, then CRLF and the part's headers
        fill(2);
        if (limit - position >= 2 && buffer[position] == '-' && buffer[position + 1] == '-') {
            finished = true;
            return Optional.empty();
        }
        var afterBoundary = readLine();
        if (!afterBoundary.isBlank()) {
            throw new MalformedMultipartException("unexpected text after a boundary: \"" + abbreviate(afterBoundary) + "\"");
        }
        String name = null;
        String filename = null;
        String contentType = null;
        int headerBytes = 0;
        for (var line = readLine(); !line.isEmpty(); line = readLine()) {
            headerBytes += line.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("a part's headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedMultipartException("not a header line: \"" + abbreviate(line) + "\"");
            }
            var header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            var value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                if (!value.toLowerCase(Locale.ROOT).startsWith("form-data")) {
                    throw new MalformedMultipartException("a part's Content-Disposition must be form-data: \"" + abbreviate(value) + "\"");
                }
                name = parameter(value, "name");
                filename = parameter(value, "filename");
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null || name.isEmpty()) {
            throw new MalformedMultipartException("a part has no Content-Disposition: form-data; name=\"…\"");
        }
        current = new PartStream();
        return Optional.of(new Part(name, Optional.ofNullable(filename), Optional.ofNullable(contentType), current));
    }

    /** A quoted (or token) parameter of a Content-Disposition value. */
    private static String parameter(String value, String parameter) {
        var matcher = Pattern.compile("(?i)(?:^|;)\\s*" + parameter + "\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]+))")
                .matcher(value);
        if (!matcher.find()) {
            return null;
        }
        return matcher.group(1) != null ? matcher.group(1).replaceAll("\\\\(.)", "$1") : matcher.group(2);
    }

    private String readLine() throws IOException {
        var line = new StringBuilder();
        while (true) {
            fill(2);
            if (limit - position < 2) {
                throw new MalformedMultipartException("the body ended inside a part's headers");
            }
            if (buffer[position] == '\r' && buffer[position + 1] == '\n') {
                position += 2;
                return line.toString();
            }
            line.append((char) (buffer[position++] & 0xff));
            if (line.length() > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("a header line exceeds " + MAX_HEADER_BYTES + " bytes");
            }
        }
    }

    /** Reads until at least {@code wanted} bytes are buffered or the input ended. */
    private void fill(int wanted) throws IOException {
        if (limit - position >= wanted) {
            return;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (limit - position < wanted && !inputEnded) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                inputEnded = true;
            } else {
                limit += n;
            }
        }
    }

    /** The bytes of one part, ending where the next delimiter starts. */
    private final class PartStream extends InputStream {

        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, target.length);
            if (ended) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            while (true) {
                fill(delimiter.length);
                int found = indexOfDelimiter();
                if (found == position) {
                    position += delimiter.length;
                    ended = true;
                    return -1;
                }
                // bytes before a delimiter, or that cannot be the start of one, are the part's
                int safe = found >= 0 ? found : Math.max(position, limit - delimiter.length + 1);
                if (safe > position) {
                    int n = Math.min(length, safe - position);
                    System.arraycopy(buffer, position, target, offset, n);
                    position += n;
                    return n;
                }
                if (inputEnded) {
                    throw new MalformedMultipartException("the body ended before the closing boundary");
                }
                if (position == 0 && limit == buffer.length) {
                    throw new IllegalStateException("the buffer cannot hold a delimiter");
                }
                // keep what may be the start of a delimiter and read more
                fill(limit - position + 1);
            }
        }

        private int indexOfDelimiter() {
            byte first = delimiter[0];
            int last = limit - delimiter.length;
            outer:
            for (int i = position; i <= last; i++) {
                if (buffer[i] != first) {
                    continue;
                }
                for (int j = 1; j < delimiter.length; j++) {
                    if (buffer[i + j] != delimiter[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        void skipToEnd() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
