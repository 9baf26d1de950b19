package io.gridledger.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** gridctl as a partner runs it: its jar in a process of its own, configured by the environment only. */
final class Gridctl {

    /** What one gridctl command did. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Gridctl() {
    }

    /** Runs {@code gridctl args…} as the partner at {@code url} with {@code token} (null: no token). */
    static Result run(String url, String token, Path home, String... args) {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                E2eStack.repository().resolve("gridctl/target/gridctl.jar").toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        var env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("GRIDCTL_"));
        env.put("GRIDCTL_URL", url);
        if (token != null) {
            env.put("GRIDCTL_TOKEN", token);
        }
        env.put("HOME", home.toString());
        try {
            Files.createDirectories(home);
            var process = builder.start();
            var out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            var err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("gridctl " + String.join(" ", args) + " did not finish within 5 minutes");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run gridctl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
