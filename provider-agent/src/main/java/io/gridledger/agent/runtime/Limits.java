package io.gridledger.agent.runtime;

/**
 * What one container may use: CPU in millicores (a CFS quota over a 100 ms period), memory in bytes (swap included:
 * no swap beyond it), and the number of processes and threads.
 */
public record Limits(long cpuMillis, long memoryBytes, long pids) {

    public static final long MIN_MEMORY_BYTES = 6L * 1024 * 1024;

    public Limits {
        if (cpuMillis < 10) {
            throw new IllegalArgumentException("cpuMillis must be >= 10, got " + cpuMillis);
        }
        if (memoryBytes < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("memoryBytes must be >= 6 MiB (engines refuse less), got " + memoryBytes);
        }
        if (pids < 1) {
            throw new IllegalArgumentException("pids must be >= 1, got " + pids);
        }
    }

    public static Limits of(long cpuMillis, long memoryMiB, long pids) {
        return new Limits(cpuMillis, memoryMiB * 1024 * 1024, pids);
    }
}
