package io.gridledger.agent.runtime;

import java.nio.charset.StandardCharsets;

/**
 * The first {@code cap} bytes of a container's stdout and stderr, and how many bytes each stream had in all (as far
 * as they were read: reading stops once both streams passed the cap, so a total is then a lower bound).
 */
public record CapturedLogs(byte[] stdout, byte[] stderr, long stdoutBytes, long stderrBytes, boolean truncated) {

    public CapturedLogs {
        stdout = stdout.clone();
        stderr = stderr.clone();
    }

    public static CapturedLogs empty() {
        return new CapturedLogs(new byte[0], new byte[0], 0, 0, false);
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    /** Stdout as UTF-8 text (invalid bytes replaced). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CapturedLogs that && java.util.Arrays.equals(stdout, that.stdout)
                && java.util.Arrays.equals(stderr, that.stderr) && stdoutBytes == that.stdoutBytes
                && stderrBytes == that.stderrBytes && truncated == that.truncated;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(stdout) * 31 + java.util.Arrays.hashCode(stderr);
    }

    @Override
    public String toString() {
        return "CapturedLogs[stdout " + stdoutBytes + " bytes, stderr " + stderrBytes + " bytes"
                + (truncated ? ", truncated" : "") + "]";
    }
}
