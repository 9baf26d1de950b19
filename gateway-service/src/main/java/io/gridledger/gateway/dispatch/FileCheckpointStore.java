package io.gridledger.gateway.dispatch;

import io.gridledger.ledger.EventCheckpoint;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A checkpoint in a small JSON file ({@code {"blockNumber":12,"txId":"…"}}), replaced atomically: written to a
 * sibling temporary file, forced to disk, renamed over the old one. A crash leaves the old or the new checkpoint,
 * never a torn one.
 */
public final class FileCheckpointStore implements CheckpointStore {

    private final Path file;
    private final JsonMapper json;

    public FileCheckpointStore(Path file, JsonMapper json) {
        this.file = file.toAbsolutePath();
        this.json = json;
    }

    @Override
    public Optional<EventCheckpoint> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), EventCheckpoint.class));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable checkpoint " + file, e);
        }
    }

    @Override
    public void save(EventCheckpoint checkpoint) {
        try {
            Files.createDirectories(file.getParent());
            var temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (var channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(json.writeValueAsBytes(checkpoint)));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
