package io.gridledger.gateway.testkit;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A {@code multipart/form-data} request body built as a stream, so a test (or the benchmark) can send a file larger
 * than it would hold in memory.
 *
 * <pre>{@code
 * var body = new MultipartBody().json("spec", specJson).file("data.bin", () -> new ByteArrayInputStream(bytes));
 * HttpRequest.newBuilder(uri).header("Content-Type", body.contentType()).POST(body.publisher());
 * }</pre>
 */
public final class MultipartBody {

    private final String boundary = "gridledger-test-" + UUID.randomUUID();
    private final List<Supplier<InputStream>> pieces = new ArrayList<>();

    public MultipartBody json(String name, String json) {
        return part(name, null, "application/json", () -> new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    public MultipartBody file(String name, Supplier<InputStream> content) {
        return part(name, name, "application/octet-stream", content);
    }

    public MultipartBody part(String name, String filename, String contentType, Supplier<InputStream> content) {
        var head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\nContent-Type: " + contentType + "\r\n\r\n";
        pieces.add(() -> new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)));
        pieces.add(content);
        pieces.add(() -> new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.US_ASCII)));
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The whole body as one stream (read it once). */
    public InputStream stream() {
        var all = new ArrayList<InputStream>();
        pieces.forEach(piece -> all.add(piece.get()));
        all.add(new ByteArrayInputStream(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return new SequenceInputStream(Collections.enumeration(all));
    }

    public HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.ofInputStream(this::stream);
    }
}
