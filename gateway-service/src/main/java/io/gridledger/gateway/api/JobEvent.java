package io.gridledger.gateway.api;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A change to a job, as the event streams send it (the same fields as the dispatch's job-events records): which
 * contract event, the job's new status when it changed, the replica for commits and reveals, and where on the
 * ledger. {@code Snapshot} is the stream's first event: the job's state when the stream began.
 *
 * @param id    {@code <block>:<txId>:<jobId>}, the SSE event id: send it back as {@code Last-Event-ID} to resume
 * @param event {@code Snapshot}, {@code JobSubmitted}, {@code JobsMatched}, {@code ResultCommitted},
 *              {@code ResultRevealed}, {@code JobCompleted}, {@code JobFailed}, {@code JobCancelled}, …
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "JobEvent")
public record JobEvent(String id, String jobId, String event, @Nullable String status, @Nullable String phase,
                       @Nullable Integer replica, @Nullable String txId, long blockNumber) {

    /** Whether the job can change no more after this. */
    public boolean isFinal() {
        return "COMPLETED".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status);
    }
}
