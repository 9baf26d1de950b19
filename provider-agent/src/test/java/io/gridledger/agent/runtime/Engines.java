package io.gridledger.agent.runtime;

import io.gridledger.agent.runtime.docker.DockerJavaRuntime;
import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The container engines the runtime suite runs against, and their test image.
 *
 * <p>{@code GRIDLEDGER_ENGINES} lists the engines that must be there (default {@code docker,podman}, what
 * {@code .ci/run} starts): a listed engine that does not answer fails the suite with what to do. An engine left off
 * the list is still tested when it answers, and reported as aborted (not silently passed) when it does not.
 * Sockets: {@code GRIDLEDGER_DOCKER_SOCKET} (default /var/run/docker.sock), {@code GRIDLEDGER_PODMAN_SOCKET}
 * (default /run/podman/podman.sock).
 */
public final class Engines {

    public static final String TEST_IMAGE = "gridledger/busybox:test";

    private Engines() {
    }

    public static Path socket(String kind) {
        String variable = "GRIDLEDGER_" + kind.toUpperCase(Locale.ROOT) + "_SOCKET";
        String fallback = kind.equals("docker") ? "/var/run/docker.sock" : "/run/podman/podman.sock";
        return Path.of(Optional.ofNullable(System.getenv(variable)).orElse(fallback));
    }

    public static boolean required(String kind) {
        String engines = Optional.ofNullable(System.getenv("GRIDLEDGER_ENGINES")).orElse("docker,podman");
        return Arrays.stream(engines.split(",")).map(String::trim).anyMatch(kind::equals);
    }

    /**
     * A runtime on {@code kind}'s socket; fails the test when the engine is required and does not answer, and returns
     * empty (with the reason printed) when it is not required, for the caller to abort each test: a run then reports
     * every runtime test as skipped, never as passed or absent.
     */
    public static Optional<DockerJavaRuntime> connectIfRequiredOrAnswering(String kind, GpuInventory gpus) {
        try {
            return Optional.of(connectOrThrow(kind, gpus));
        } catch (ContainerRuntimeException e) {
            String what = unanswered(kind, e);
            if (required(kind)) {
                return Assertions.fail(what + ". The runtime suite needs it: run `bash provider-agent/engines/"
                        + "start-engines.sh` (what .ci/run does), or set GRIDLEDGER_ENGINES to the engines you have.");
            }
            System.err.println("SKIPPING the " + kind + " runtime tests: " + what + ", and GRIDLEDGER_ENGINES does not "
                    + "list it");
            return Optional.empty();
        }
    }

    /** A runtime on {@code kind}'s socket, failing the test when the engine does not answer. */
    public static DockerJavaRuntime connect(String kind, GpuInventory gpus) {
        try {
            return connectOrThrow(kind, gpus);
        } catch (ContainerRuntimeException e) {
            return Assertions.fail(unanswered(kind, e));
        }
    }

    private static DockerJavaRuntime connectOrThrow(String kind, GpuInventory gpus) throws ContainerRuntimeException {
        return DockerJavaRuntime.connect(URI.create("unix://" + socket(kind)), DockerJavaRuntime.Options.defaults(gpus));
    }

    private static String unanswered(String kind, ContainerRuntimeException e) {
        return kind + " does not answer at " + socket(kind) + " (" + e.getMessage() + ")";
    }

    /** The local busybox image's id on {@code kind}, built by images/build-busybox.sh if the engine lacks it. */
    public static ImageRef busybox(String kind) {
        try {
            Path script = Path.of("images/build-busybox.sh").toAbsolutePath();
            var process = new ProcessBuilder("bash", script.toString(), "--socket", socket(kind).toString(),
                    "--tag", TEST_IMAGE).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Assertions.assertTrue(process.waitFor(120, TimeUnit.SECONDS), "build-busybox.sh did not finish");
            Assertions.assertEquals(0, process.exitValue(), "build-busybox.sh failed: " + output);
            List<String> lines = output.lines().toList();
            return ImageRef.parse(lines.get(lines.size() - 1));
        } catch (IOException e) {
            return Assertions.fail("cannot run images/build-busybox.sh: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Assertions.fail("interrupted");
        }
    }

    /** CPU seconds the engine's daemon process has used so far (utime + stime), to see what waiting costs it. */
    public static double engineCpuSeconds(String kind) throws IOException {
        long pid = enginePid(kind);
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    private static long enginePid(String kind) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(path -> path.getFileName().toString().matches("[0-9]+"))
                    .filter(path -> {
                        try {
                            String[] args = new String(Files.readAllBytes(path.resolve("cmdline")),
                                    StandardCharsets.UTF_8).split("\0");
                            String exe = Path.of(args[0]).getFileName().toString();
                            return kind.equals("docker") ? exe.equals("dockerd")
                                    : exe.equals("podman") && List.of(args).contains("service");
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    })
                    .mapToLong(path -> Long.parseLong(path.getFileName().toString()))
                    .findFirst().orElseThrow(() -> new IOException("no " + kind + " daemon process found"));
        }
    }
}
