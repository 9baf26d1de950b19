package io.gridledger.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file the gateway owns and replaces whole: the new content goes to a temporary file beside it (mode 600), is forced
 * to disk, then renamed over the old one, and the folder is forced too; a reader sees the old or the new content,
 * never a torn one, even after a crash.
 *
 * <pre>{@code
 * AtomicFile.write(Path.of("data/api/tokens.json"), bytes);
 * AtomicFile.read(path).orElse(new byte[0]);
 * }</pre>
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    public static void write(Path file, byte[] content) {
        var dir = file.toAbsolutePath().getParent();
        var tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(dir);
            createOwnerOnly(tmp);
            try (var channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceFolder(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file stays behind; the next write uses another name
            }
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static Optional<byte[]> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
            forceFolder(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static void createOwnerOnly(Path tmp) throws IOException {
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            Files.write(tmp, new byte[0]);
        }
    }

    /** Makes the rename itself durable (Linux: fsync on the folder). */
    private static void forceFolder(Path dir) {
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system lets a folder be opened; the rename is still atomic
        }
    }
}
