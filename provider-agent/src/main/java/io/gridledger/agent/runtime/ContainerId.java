package io.gridledger.agent.runtime;

import java.util.Objects;

/** A container as the engine names it (the full id). */
public record ContainerId(String value) {

    public ContainerId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("container id must not be blank");
        }
    }

    @Override
    public String toString() {
        return value.length() > 12 ? value.substring(0, 12) : value;
    }
}
