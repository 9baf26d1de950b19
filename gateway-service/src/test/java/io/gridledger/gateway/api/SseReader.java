package io.gridledger.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import io.micronaut.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a job event stream the way a browser's {@code EventSource} does (the WHATWG rules: {@code :} lines are
 * comments, a blank line ends an event, an event without data is not one), over the JDK's HTTP client, on a thread of
 * its own. Micronaut's {@code SseClient} is not used: it fails on a comment-only block, i.e. on every keep-alive.
 *
 * <pre>{@code
 * try (var stream = SseReader.open(port, "/api/v1/jobs/j-1/events", token, null, json)) {
 *     await().until(() -> stream.events().size() > 1);
 * }
 * }</pre>
 */
final class SseReader implements AutoCloseable {

    private final List<Event<JobEvent>> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final AtomicReference<InputStream> body = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final JsonMapper json;

    private SseReader(JsonMapper json) {
        this.json = json;
    }

    /** Opens the stream at {@code path} as the bearer of {@code token}, resuming after {@code lastEventId} if given. */
    static SseReader open(int port, String path, String token, @Nullable String lastEventId, JsonMapper json) {
        var reader = new SseReader(json);
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        var thread = new Thread(() -> reader.read(request.build()), "sse-reader");
        thread.setDaemon(true);
        thread.start();
        return reader;
    }

    /** The events so far (their data a {@link JobEvent}), in the order they came. */
    List<Event<JobEvent>> events() {
        return events;
    }

    /** How many comment lines (keep-alives) came. */
    int comments() {
        return comments.get();
    }

    /** Whether the server ended the stream (or it failed: {@link #error()}). */
    boolean completed() {
        return completed.get();
    }

    @Nullable
    Throwable error() {
        return error.get();
    }

    private void read(HttpRequest request) {
        try {
            var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            body.set(response.body());
            if (closed.get()) {
                response.body().close();
                return;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": "
                        + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            parse(new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            if (!closed.get()) {
                error.set(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            completed.set(true);
        }
    }

    private void parse(BufferedReader lines) throws IOException {
        String id = null;
        String name = null;
        var data = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    data.setLength(data.length() - 1);
                    var event = Event.of(json.readValue(data.toString(), JobEvent.class));
                    if (id != null) {
                        event = event.id(id);
                    }
                    events.add(name == null ? event : event.name(name));
                }
                id = null;
                name = null;
                data.setLength(0);
            } else if (line.startsWith(":")) {
                comments.incrementAndGet();
            } else {
                int colon = line.indexOf(':');
                var field = colon < 0 ? line : line.substring(0, colon);
                var value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                switch (field) {
                    case "data" -> data.append(value).append('\n');
                    case "id" -> id = value;
                    case "event" -> name = value;
                    default -> { }
                }
            }
        }
    }

    @Override
    public void close() {
        closed.set(true);
        var stream = body.get();
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
