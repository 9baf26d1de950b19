package io.gridledger.gateway.insights;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.gridledger.ledger.Offer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/** What the admin console's endpoints answer (console-api.md): read from the projection, never from the ledger. */
public final class InsightViews {

    private InsightViews() {
    }

    /** The consortium at a glance. */
    @Serdeable
    public record Overview(long asOfBlock, Map<String, Long> jobsByStatus, long escrow, long treasury, long stakes,
                           long nodesOnline, long nodesKnown, long alertsLastHour) {
    }

    @Serdeable
    public record Series(long bucketSeconds, List<Point> points) {
    }

    /** One minute; latencies are of the jobs that ended in it, null when none did. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Point(long t, long submitted, long completed, long failed, long cancelled,
                        @Nullable Double latencyP50Seconds, @Nullable Double latencyP95Seconds) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AlertPage(List<Alert> items, @Nullable String nextCursor) {
    }

    /** An alert as the console shows it ({@code kind}: REPLICA_TIMED_OUT, DISAGREEMENT, SLASHED, JOB_FAILED). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Alert(String id, long at, String kind, @Nullable String jobId, @Nullable String nodeId,
                        @Nullable String org, @Nullable Integer replica, @Nullable Long amount, String txId,
                        long blockNumber, String message) {
        static Alert of(ProjectionState.Alert a) {
            return new Alert(a.id(), a.at(), a.kind(), a.jobId(), a.nodeId(), a.org(), a.replica(), a.amount(), a.txId(),
                    a.blockNumber(), a.message());
        }
    }

    /** An offer with the slots its replicas hold now and its node's reputation (0–1). */
    @Serdeable
    public record OfferRow(@JsonUnwrapped Offer offer, int slotsInUse, double reputation) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OfferPage(List<OfferRow> items, @Nullable String nextCursor) {
    }

    /** A row of the leaderboard. */
    @Serdeable
    public record NodeRow(String nodeId, String org, double score, long agreed, long dissented, long noShows,
                          long disputed, long paid, long slashed, long offers, long stake, boolean online, int rank) {
    }

    @Serdeable
    public record NodeDetail(NodeRow node, List<OfferRow> offers, List<ProjectionState.TrendPoint> trend,
                             List<ProjectionState.HistoryItem> history) {
    }

    @Serdeable
    public record ProposalRow(String proposalId, String proposedBy, long proposedAt, long expiresAt, String status,
                              List<String> approvals, int required, List<String> members, List<Change> changes) {
    }

    /** A parameter the proposal changes: its value in the version it amends and the proposed one. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Change(String name, @Nullable Object from, @Nullable Object to) {
    }

    /** The block's record of the transaction that ended a job. */
    @Serdeable
    public record Certification(String jobId, String txId, long blockNumber, String validationCode, String function,
                                List<String> endorsingOrgs, List<Endorser> endorsers, long committedAt) {
    }

    @Serdeable
    public record Endorser(String mspId, String subject) {
    }

    /** The {@code ledger} event of the admin stream: a block with chaincode events, and their names. */
    @Serdeable
    public record LedgerBlock(long blockNumber, List<String> kinds) {
    }
}
