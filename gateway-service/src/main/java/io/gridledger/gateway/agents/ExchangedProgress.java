package io.gridledger.gateway.agents;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Objects;

/** Steps of other orgs' agents, from the node exchange, into {@link AgentProgress} (and so onto the job's stream). */
@Singleton
final class ExchangedProgress implements NodeProgressSink {

    private final AgentProgress progress;

    ExchangedProgress(AgentProgress progress) {
        this.progress = progress;
    }

    @Override
    public void report(String jobId, int replica, int attempt, String nodeId, String step, @Nullable String reason,
                       Instant at) {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(at, "at");
        var parsed = ReplicaStep.parse(step).orElseThrow(() -> new IllegalArgumentException("unknown step " + step));
        progress.record(new ReplicaProgress(jobId, replica, attempt, nodeId, parsed, reason, null, at.toEpochMilli(),
                ReplicaProgress.Origin.EXCHANGE));
    }
}
