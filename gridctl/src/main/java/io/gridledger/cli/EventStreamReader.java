package io.gridledger.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads Server-Sent Events as the WHATWG rules say: fields {@code event}, {@code data} (joined by newlines),
 * {@code id}; lines starting with {@code :} are comments (the gateway's keep-alives); a blank line dispatches; a
 * block with no data is not an event.
 *
 * <pre>{@code
 * var reader = new EventStreamReader(response.body());
 * for (Optional<ServerSentEvent> e; (e = reader.next()).isPresent(); ) { ... }
 * }</pre>
 */
public final class EventStreamReader implements AutoCloseable {

    /** One event: its type ({@code message} when unnamed), data and id (null when none). */
    public record ServerSentEvent(String event, String data, String id) {
    }

    private final BufferedReader lines;

    public EventStreamReader(InputStream stream) {
        this.lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    /** The next event, or empty at the end of the stream. */
    public Optional<ServerSentEvent> next() throws IOException {
        String event = null;
        String id = null;
        StringBuilder data = null;
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(new ServerSentEvent(event == null ? "message" : event, data.toString(), id));
                }
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            var field = colon < 0 ? line : line.substring(0, colon);
            var value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> id = value.indexOf('\0') >= 0 ? id : value;
                default -> {
                    // retry and unknown fields: ignored
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
