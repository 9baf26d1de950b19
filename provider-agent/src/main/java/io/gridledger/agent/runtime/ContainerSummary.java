package io.gridledger.agent.runtime;

import io.gridledger.agent.JobKey;

import java.util.Objects;

/** A GridLedger container the engine holds, found by its labels (e.g. an orphan of an agent that crashed). */
public record ContainerSummary(ContainerId id, JobKey job, String name, String state) {

    public ContainerSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
    }

    public boolean running() {
        return "running".equals(state);
    }
}
