package io.gridledger.gateway.api;

import io.gridledger.ledger.EventCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where on the ledger an event-stream event id stands, kept across restarts of the gateway, so that a client resuming
 * with a {@code Last-Event-ID} the restarted gateway no longer holds in memory is sent every ledger change after it.
 * A ledger event's id ({@code <block>:<txId>:<jobId>}) is its own position; an agent step's id is mapped to the
 * position of the last ledger event the stream had sent before it, {@link #record recorded} as it is sent, one line
 * per step in an append-only file ({@code id TAB block TAB txId}) that is compacted to the last {@code retained}
 * lines when it grows past four times that.
 *
 * <pre>{@code
 * var positions = StreamPositions.open(dataDir.resolve("event-positions"), 2048);
 * positions.record("agent:j-1#0#1:running:1733380000000", EventCheckpoint.after(41, "ab12…"));
 * positions.positionOf("41:ab12…:j-1");   // Optional[after(41, ab12…)]
 * }</pre>
 */
final class StreamPositions {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPositions.class);

    private final Path file;
    private final int retained;
    /** Agent step id → position, the last {@code retained}. Guarded by {@code this}. */
    private final Map<String, EventCheckpoint> agentSteps;
    private int lines;

    private StreamPositions(Path file, int retained, Map<String, EventCheckpoint> agentSteps, int lines) {
        this.file = file;
        this.retained = retained;
        this.agentSteps = agentSteps;
        this.lines = lines;
    }

    /** The positions {@code file} holds (none when it does not exist yet); a malformed line is skipped. */
    static StreamPositions open(Path file, int retained) {
        Objects.requireNonNull(file, "file");
        var steps = new LinkedHashMap<String, EventCheckpoint>(retained * 2) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, EventCheckpoint> eldest) {
                return size() > retained;
            }
        };
        int lines = 0;
        if (Files.exists(file)) {
            try {
                for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lines++;
                    var fields = line.split("\t", -1);
                    if (fields.length != 3 || !fields[1].matches("\\d{1,18}")) {
                        continue; // a line torn by a crash mid-write
                    }
                    steps.put(fields[0], new EventCheckpoint(Long.parseLong(fields[1]), fields[2].isEmpty() ? null : fields[2]));
                }
            } catch (IOException e) {
                LOG.warn("cannot read the event streams' positions in {} ({}): streams resumed across the restart start "
                        + "from now", file, e.getMessage());
            }
        }
        return new StreamPositions(file, retained, steps, lines);
    }

    /** Records that the agent step {@code id} was sent when the stream had reached {@code position}. */
    synchronized void record(String id, EventCheckpoint position) {
        agentSteps.put(id, position);
        var line = id + "\t" + position.blockNumber() + "\t" + (position.txId() == null ? "" : position.txId()) + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (++lines > retained * 4) {
                compact();
            }
        } catch (IOException e) {
            LOG.warn("cannot record the position of event {} in {}: {}", id, file, e.getMessage());
        }
    }

    /**
     * Where the stream stood at event {@code id}: resuming after it is resuming at this checkpoint. Empty for an id
     * that is neither a ledger event's nor a recorded agent step's.
     */
    synchronized Optional<EventCheckpoint> positionOf(String id) {
        if (id == null) {
            return Optional.empty();
        }
        var step = agentSteps.get(id);
        if (step != null) {
            return Optional.of(step);
        }
        var parts = id.split(":", 3);
        if (parts.length == 3 && parts[0].matches("\\d{1,18}") && !parts[1].isEmpty() && !parts[2].isEmpty()
                && !id.startsWith("agent:")) {
            return Optional.of(EventCheckpoint.after(Long.parseLong(parts[0]), parts[1]));
        }
        return Optional.empty();
    }

    private void compact() throws IOException {
        var content = new StringBuilder();
        var kept = new ArrayList<>(agentSteps.entrySet());
        for (var entry : kept) {
            var position = entry.getValue();
            content.append(entry.getKey()).append('\t').append(position.blockNumber()).append('\t')
                    .append(position.txId() == null ? "" : position.txId()).append('\n');
        }
        var temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lines = kept.size();
    }

    /** For tests. */
    synchronized int lines() {
        return lines;
    }
}
