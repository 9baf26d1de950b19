package io.gridledger.consortium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One part of the local consortium run as a child process: its command and environment (so it can be started again
 * the same way), its output appended to its log file, and its pid in {@code run/NAME.pid} so that a launcher that was
 * itself killed leaves nothing behind: the next start stops what the pid file names ({@link #reapLeftover()}).
 */
public final class ManagedProcess {

    /** The line each start writes to the log first: readiness checks read only what follows the last one. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final String START_MARKER = "---- local consortium: starting at ";

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final Path pidFile;
    private volatile Process process;
    /** Set when the process is meant to be down (stopped, killed on purpose): no supervisor restarts it. */
    private volatile boolean intentionallyDown = true;

    public ManagedProcess(String name, List<String> command, Map<String, String> environment, Path log, Path runDir) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.pidFile = runDir.resolve(name + ".pid");
    }

    /** The JVM running this launcher, with {@code options} then {@code args}. */
    public static List<String> java(List<String> options, String... args) {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of(args));
        return command;
    }

    public String name() {
        return name;
    }

    /**
     * The command in a session of its own ({@code setsid}, which execs it: same pid), so that a Ctrl-C in the terminal
     * reaches only the launcher, which then stops the parts in order, instead of every part at once.
     */
    private static List<String> inOwnSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        var wrapped = new ArrayList<String>();
        wrapped.add(SETSID.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    public Path log() {
        return log;
    }

    /** Starts it (appending to its log); a no-op when it runs. */
    public synchronized ManagedProcess start() {
        if (isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(pidFile.getParent());
            Files.writeString(log, START_MARKER + Instant.now() + " " + name + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            var builder = new ProcessBuilder(inOwnSession(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            intentionallyDown = false;
            Files.writeString(pidFile, Long.toString(process.pid()));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    public boolean isAlive() {
        var current = process;
        return current != null && current.isAlive();
    }

    /** Whether it exited without being asked to. */
    public boolean crashed() {
        var current = process;
        return current != null && !current.isAlive() && !intentionallyDown;
    }

    public int exitValue() {
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM (a clean shutdown), then SIGKILL if it has not exited within {@code grace}. */
    public synchronized void stop(Duration grace) {
        intentionallyDown = true;
        var current = process;
        if (current != null && current.isAlive()) {
            current.destroy();
            try {
                if (!current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                current.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deletePidFile();
    }

    /** SIGKILL, as a crash: nothing is flushed or closed. It stays down until {@link #start()}. */
    public synchronized void kill() {
        intentionallyDown = true;
        var current = process;
        if (current != null) {
            current.destroyForcibly();
            try {
                current.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deletePidFile();
    }

    /**
     * Stops the process a previous launcher of this data folder left running (it was killed before it could stop its
     * parts): the pid file names it, and it is only stopped if its command line is still this part's.
     */
    public void reapLeftover() {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).filter(h -> h.info().commandLine().map(this::isOurs).orElse(false)).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception notYet) {
                    h.destroyForcibly();
                }
            });
        } catch (IOException | NumberFormatException e) {
            // an unreadable pid file names nothing to stop
        }
        deletePidFile();
    }

    private boolean isOurs(String commandLine) {
        return commandLine.contains(command.get(command.size() - 1)) || command.stream().skip(1).filter(a -> a.length() > 20)
                .anyMatch(commandLine::contains);
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // stale pid files are checked against the command line before anything is stopped
        }
    }

    /** Whether its log (this run's part, after the last start marker) contains {@code text}. */
    public boolean logged(String text) {
        try {
            var content = Files.readString(log, StandardCharsets.UTF_8);
            int start = content.lastIndexOf(START_MARKER);
            return content.indexOf(text, Math.max(start, 0)) >= 0;
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The last lines of its log, for error messages. */
    public String logTail(int lines) {
        try {
            var all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Waits until {@code ready} holds, checking every 100 ms; fails with the log's tail when the process exits first
     * or {@code timeout} passes.
     */
    public void awaitReady(String what, Duration timeout, BooleanSupplier ready) {
        var deadline = Instant.now().plus(timeout);
        while (true) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!isAlive()) {
                throw new StackException(name + " exited (status " + process.exitValue() + ") before " + what
                        + "; the end of " + log + ":\n" + logTail(25));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException(name + " did not become ready (" + what + ") within " + timeout.toSeconds()
                        + " s; the end of " + log + ":\n" + logTail(25));
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + name);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
