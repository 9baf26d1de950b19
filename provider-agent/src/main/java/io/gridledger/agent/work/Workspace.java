package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A replica attempt's folders under the agent's data folder: {@code input} (downloaded, mounted read-only),
 * {@code output} and {@code scratch} (mounted writable), {@code logs} (the container's stdout and stderr). Kept across
 * a restart, removed when the attempt ends.
 */
public record Workspace(Path root) {

    public static Workspace of(Path workDir, JobKey key) {
        return new Workspace(workDir.resolve(safe(key.jobId()) + "-r" + key.replica() + "-a" + key.attempt()));
    }

    public Path input() {
        return root.resolve("input");
    }

    public Path output() {
        return root.resolve("output");
    }

    public Path scratch() {
        return root.resolve("scratch");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    /** Creates the folders; the container's user (not root) must be able to write output and scratch. */
    public Workspace create() throws IOException {
        for (Path dir : new Path[]{input(), output(), scratch(), logs()}) {
            Files.createDirectories(dir);
        }
        var open = PosixFilePermissions.fromString("rwxrwxrwx");
        Files.setPosixFilePermissions(output(), open);
        Files.setPosixFilePermissions(scratch(), open);
        Files.setPosixFilePermissions(input(), PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    /** Empties the output folder (a rerun after a crash before the container started must not see old files). */
    public void clearOutput() throws IOException {
        delete(output());
        delete(scratch());
        create();
    }

    public void delete() throws IOException {
        delete(root);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String safe(String jobId) {
        return jobId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
