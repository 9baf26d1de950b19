package io.gridledger.gateway.api;

import io.gridledger.gateway.agents.ReplicaProgress;
import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A change to a job, as the event streams send it. Ledger changes have the fields of the dispatch's job-events
 * records: which contract event, the job's new status when it changed, the replica for commits and reveals, and where
 * on the ledger. {@code Snapshot} is the stream's first event: the job's state when the stream began. {@code AgentStep}
 * is a provider agent's finer progress on one replica (gateway-service/AGENT-STATUS.md): {@code step}, with
 * {@code attempt}, {@code nodeId}, {@code reason} and {@code exitCode} for a failure, and {@code at} (the agent's
 * clock, epoch ms) — progress, not proof: the ledger's events settle.
 *
 * @param id    the SSE event id ({@code <block>:<txId>:<jobId>}, {@code agent:<jobId#replica#attempt>:<step>:<at>}):
 *              send it back as {@code Last-Event-ID} to resume
 * @param event {@code Snapshot}, {@code JobSubmitted}, {@code JobsMatched}, {@code ResultCommitted},
 *              {@code ResultRevealed}, {@code JobCompleted}, {@code JobFailed}, {@code JobCancelled}, …, {@code AgentStep}
 * @param step  for {@code AgentStep}: {@code accepted}, {@code pulling}, {@code running}, {@code uploading},
 *              {@code committed}, {@code revealed} or {@code failed}
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "JobEvent")
public record JobEvent(String id, String jobId, String event, @Nullable String status, @Nullable String phase,
                       @Nullable Integer replica, @Nullable String txId, long blockNumber, @Nullable Integer attempt,
                       @Nullable String nodeId, @Nullable String step, @Nullable String reason,
                       @Nullable Integer exitCode, @Nullable Long at) {

    public static final String AGENT_STEP = "AgentStep";

    /** A change the ledger committed. */
    public static JobEvent ledger(String id, String jobId, String event, @Nullable String status, @Nullable String phase,
                                  @Nullable Integer replica, @Nullable String txId, long blockNumber) {
        return new JobEvent(id, jobId, event, status, phase, replica, txId, blockNumber, null, null, null, null, null, null);
    }

    /** A step an agent reported. */
    public static JobEvent agentStep(ReplicaProgress progress) {
        var step = progress.step().wireName();
        return new JobEvent("agent:" + progress.dispatchKey() + ":" + step + ":" + progress.at(), progress.jobId(),
                AGENT_STEP, null, null, progress.replica(), null, 0, progress.attempt(), progress.nodeId(), step,
                progress.reason(), progress.exitCode(), progress.at());
    }

    /** Whether the job can change no more after this. */
    public boolean isFinal() {
        return "COMPLETED".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status);
    }
}
