package io.gridledger.consortium;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Who listens on a local TCP port, as {@code ss} tells it (best effort: empty when ss is missing or says nothing). */
final class PortHolder {

    private PortHolder() {
    }

    /** {@code " by java (pid 1234)"}, or {@code ""}. */
    static String describe(int port) {
        try {
            var process = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "";
            }
            var matcher = java.util.regex.Pattern.compile("\\(\\(\"([^\"]+)\",pid=(\\d+)").matcher(output);
            return matcher.find() ? " by " + matcher.group(1) + " (pid " + matcher.group(2) + ")" : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
