package io.gridledger.gateway.dispatch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A change to a job, as a record on the job-events topic keyed by {@link #jobId()}: which contract event, the job's
 * new status when it changed, the replica for commits and reveals, and where on the ledger. At least once, in ledger
 * order per job; {@code txId} + {@code jobId} identify a delivery.
 *
 * @param event  the contract event ({@code JobSubmitted}, {@code JobsMatched}, {@code ResultRevealed}, {@code JobCompleted}, …)
 * @param status the job's status after it ({@code QUEUED}, {@code RUNNING}, …), when the event says
 */
@Serdeable
public record JobEventMessage(String jobId, String event, @Nullable String status, @Nullable Integer replica, String txId,
                              long blockNumber) implements DispatchMessage {

    @Override
    public Topic topic() {
        return Topic.JOB_EVENTS;
    }

    @Override
    public String key() {
        return jobId;
    }
}
