package io.gridledger.gateway.agents;

import java.util.Locale;
import java.util.Optional;

/**
 * The steps a provider agent reports for one attempt of a replica (gateway-service/AGENT-STATUS.md), in the order an
 * attempt takes them. {@code REVEALED} and {@code FAILED} end an attempt.
 */
public enum ReplicaStep {
    ACCEPTED, PULLING, RUNNING, UPLOADING, COMMITTED, REVEALED, FAILED;

    /** The step's name on the wire: {@code accepted}, {@code running}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean endsAttempt() {
        return this == REVEALED || this == FAILED;
    }

    /** The step a wire name names, if any (case-insensitive). */
    public static Optional<ReplicaStep> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (var step : values()) {
            if (step.name().equalsIgnoreCase(name)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }
}
