package io.gridledger.e2e;

import io.gridledger.consortium.JobImage;
import io.gridledger.consortium.LocalStack;
import io.gridledger.consortium.Progress;
import io.gridledger.consortium.StackSettings;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stack of the end-to-end suite: the local consortium exactly as {@code ./gridledger up} starts it (the same
 * {@link LocalStack}, jars and defaults), in {@code tests/target/e2e-stack}, on ports moved by
 * {@code -Dgridledger.e2e.port-offset} (default 200, clear of a developer's own {@code ./gridledger up}), with crashed
 * parts left down (the fault tests crash and restart them themselves). One per test JVM, stopped when it exits.
 */
public final class E2eStack {

    private static LocalStack shared;

    private E2eStack() {
    }

    static synchronized LocalStack shared() {
        if (shared == null) {
            var repository = repository();
            var dataDir = repository.resolve("tests/target/e2e-stack");
            try {
                deleteRecursively(dataDir);
                Files.createDirectories(dataDir);
                var progress = new Progress(new PrintStream(new FileOutputStream(dataDir.resolve("progress.log").toFile()), true));
                var socket = "unix:///var/run/docker.sock";
                var settings = new StackSettings(repository, dataDir, 3, 3, Integer.getInteger("gridledger.e2e.port-offset", 200),
                        2, socket, JobImage.detect(repository, socket), "100ms", false);
                shared = LocalStack.start(settings, progress);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stop-e2e-stack"));
        }
        return shared;
    }

    /** The GridLedger checkout this JVM runs in (its jars are what the stack runs). */
    public static Path repository() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("consortium")) && Files.isDirectory(dir.resolve("chaincode"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the GridLedger repository");
    }

    /** Removes {@code dir} and everything in it, if it exists: a new stack's data folder. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (var path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
