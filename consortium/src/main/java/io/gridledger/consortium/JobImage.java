package io.gridledger.consortium;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The local job image the demo and the end-to-end suite run: GridLedger's busybox image, built from Debian's
 * busybox-static and imported into the engine when missing (no registry is reachable), pinned by its id as a job names
 * it ({@code gridledger/busybox@sha256:…}).
 */
public final class JobImage {

    private JobImage() {
    }

    /** The pinned image on the engine at {@code engineSocket}, built first if needed; {@code null} when it cannot be. */
    public static String detect(Path repository, String engineSocket) {
        var socket = engineSocket.replaceFirst("^unix://", "");
        try {
            var process = new ProcessBuilder("bash", repository.resolve("provider-agent/images/build-busybox.sh").toString(),
                    "--socket", socket).redirectError(ProcessBuilder.Redirect.PIPE).start();
            var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || !out.matches("sha256:[0-9a-f]{64}")) {
                System.err.println("gridledger: no job image on " + engineSocket + " (" + (err.isEmpty() ? out : err)
                        + "); agents start, but jobs need an image: bash provider-agent/engines/start-engines.sh installs the engine");
                return null;
            }
            return "gridledger/busybox@" + out;
        } catch (IOException e) {
            System.err.println("gridledger: cannot build the job image: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
