package io.gridledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gridledger.cli.EventStreamReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One job's Server-Sent Events stream ({@code GET /jobs/{id}/events}) read on a thread of its own with gridctl's
 * spec-following {@link EventStreamReader}, until the server ends it or the connection breaks; it remembers the last
 * event id, as a browser's {@code EventSource} does, to resume with.
 */
final class EventRecording implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event: its id (null for the {@code Snapshot}), name and data. */
    record Received(String id, String name, JsonNode data) {
        boolean isLedgerEvent() {
            return id != null && !id.startsWith("agent:");
        }

        boolean isFinal() {
            var status = data.path("status").asText();
            return status.equals("COMPLETED") || status.equals("FAILED") || status.equals("CANCELLED");
        }
    }

    private final List<Received> events = new CopyOnWriteArrayList<>();
    private final InputStream body;
    private final Thread reader;
    private volatile boolean ended;
    private volatile String lastEventId;

    private EventRecording(InputStream body, String lastEventId) {
        this.body = body;
        this.lastEventId = lastEventId;
        this.reader = new Thread(this::read, "sse-recording");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code partner}'s stream of {@code jobId}, resuming after {@code lastEventId} when not null. */
    static EventRecording open(Partner partner, String jobId, String lastEventId) {
        return new EventRecording(partner.client().events("/jobs/" + jobId + "/events", lastEventId).body(), lastEventId);
    }

    private void read() {
        try (var stream = new EventStreamReader(body)) {
            for (Optional<EventStreamReader.ServerSentEvent> next; (next = stream.next()).isPresent(); ) {
                var event = next.get();
                if (event.id() != null) {
                    lastEventId = event.id();
                }
                events.add(new Received(event.id(), event.event(), JSON.readTree(event.data())));
            }
        } catch (IOException e) {
            // The connection broke (a killed gateway): what was received stays recorded.
        } finally {
            ended = true;
        }
    }

    List<Received> events() {
        return List.copyOf(events);
    }

    /** The id to send back as {@code Last-Event-ID}: the last one received (or the one this stream resumed from). */
    String lastEventId() {
        return lastEventId;
    }

    boolean ended() {
        return ended;
    }

    boolean sawFinal() {
        return events.stream().anyMatch(Received::isFinal);
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
