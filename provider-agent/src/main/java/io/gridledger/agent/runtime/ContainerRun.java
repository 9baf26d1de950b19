package io.gridledger.agent.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * A finished run: its outcome, its captured logs, and how long the engine took to get it running and how long it ran.
 */
public record ContainerRun(ContainerId id, Outcome outcome, CapturedLogs logs, Duration startLatency,
                           Duration runtime) {

    public ContainerRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(startLatency, "startLatency");
        Objects.requireNonNull(runtime, "runtime");
    }
}
