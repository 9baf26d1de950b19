package io.gridledger.gateway.insights;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.Parameters;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the console projection knows, as it is persisted (the snapshot file): the last event applied and the
 * figures built from every event up to it. Mutable collections, changed only by {@link LedgerProjection} under its lock.
 *
 * @param blockNumber    block of the last applied event (-1: none yet)
 * @param txId           transaction of the last applied event
 * @param terminal       count of jobs per terminal status
 * @param openJobs       jobs not finished yet, by id
 * @param holds          slots each job holds (until the job's slots are released), by job id
 * @param offers         every offer seen, by id, as last read
 * @param nodes          every provider node seen, by node id
 * @param buckets        per minute (epoch second of its start) what happened, the last day
 * @param alerts         the latest alerts, oldest first
 * @param alertCount     alerts ever projected (the next alert's sequence)
 * @param proposals      governance proposals by id
 * @param parameters     the consortium's parameters as last read
 * @param treasury       the treasury's balance as last read
 */
@Serdeable
public record ProjectionState(long blockNumber, @Nullable String txId, Map<String, Long> terminal,
                              Map<String, OpenJob> openJobs, Map<String, List<Hold>> holds, Map<String, Offer> offers,
                              Map<String, NodeRecord> nodes, TreeMap<Long, Bucket> buckets, List<Alert> alerts,
                              long alertCount, Map<String, ProposalRecord> proposals, @Nullable Parameters parameters,
                              long treasury) {

    /** Collections absent from a snapshot (written empty) come back empty and mutable. */
    public ProjectionState {
        terminal = terminal == null ? new TreeMap<>() : terminal;
        openJobs = openJobs == null ? new LinkedHashMap<>() : openJobs;
        holds = holds == null ? new LinkedHashMap<>() : holds;
        offers = offers == null ? new TreeMap<>() : offers;
        nodes = nodes == null ? new TreeMap<>() : nodes;
        buckets = buckets == null ? new TreeMap<>() : buckets;
        alerts = alerts == null ? new ArrayList<>() : alerts;
        proposals = proposals == null ? new TreeMap<>() : proposals;
    }

    static ProjectionState empty() {
        return new ProjectionState(-1, null, new TreeMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(),
                new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new ArrayList<>(), 0, new TreeMap<>(), null, 0);
    }

    ProjectionState at(long block, String tx, long alerts, @Nullable Parameters params, long treasuryBalance) {
        return new ProjectionState(block, tx, terminal, openJobs, holds, offers, nodes, buckets, this.alerts, alerts,
                proposals, params, treasuryBalance);
    }

    /** A job not finished yet: what its end needs (submission time, escrow) and the timeouts already alerted. */
    @Serdeable
    public record OpenJob(String jobId, String clientOrg, String status, long submittedAt, long escrowed,
                          Set<String> timedOut) {
        public OpenJob {
            timedOut = timedOut == null ? Set.of() : timedOut;
        }

        OpenJob withStatus(String value) {
            return new OpenJob(jobId, clientOrg, value, submittedAt, escrowed, timedOut);
        }

        OpenJob withTimedOut(String replicaAttempt) {
            var set = new HashSet<>(timedOut);
            set.add(replicaAttempt);
            return new OpenJob(jobId, clientOrg, status, submittedAt, escrowed, set);
        }
    }

    /** A slot of an offer held by a replica of a job. */
    @Serdeable
    public record Hold(String offerId, int replica, int attempt) {
    }

    /**
     * A provider node's record: reputation score (0–1) as last read, verdict counts, credits paid and slashed, the score
     * after each change (≤ 500) and its latest judged replicas (≤ 200, oldest first).
     */
    @Serdeable
    public record NodeRecord(String nodeId, String org, double score, long agreed, long dissented, long noShows,
                             long disputed, long paid, long slashed, List<TrendPoint> trend, List<HistoryItem> history) {
        public NodeRecord {
            trend = trend == null ? new ArrayList<>() : trend;
            history = history == null ? new ArrayList<>() : history;
        }

        static NodeRecord of(String nodeId, String org, double score) {
            return new NodeRecord(nodeId, org, score, 0, 0, 0, 0, 0, 0, new ArrayList<>(), new ArrayList<>());
        }
    }

    @Serdeable
    public record TrendPoint(long t, double score, long blockNumber) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record HistoryItem(long at, String jobId, int replica, String verdict, long paid, long slashed, String txId,
                              long blockNumber) {
    }

    /** One minute: jobs submitted and ended in it, and the submit→end latency (seconds) of each that ended. */
    @Serdeable
    public record Bucket(long submitted, long completed, long failed, long cancelled, List<Long> latencies) {
        public Bucket {
            latencies = latencies == null ? new ArrayList<>() : latencies;
        }

        static Bucket empty() {
            return new Bucket(0, 0, 0, 0, new ArrayList<>());
        }
    }

    /** Something the console shows as an alert: a replica timed out, dissented, a node slashed, a job failed. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Alert(String id, long sequence, long at, String kind, @Nullable String jobId, @Nullable String nodeId,
                        @Nullable String org, @Nullable Integer replica, @Nullable Long amount, String txId,
                        long blockNumber, String message) {
    }

    /** A proposal as last read, the parameters it amends (as they were when it was proposed) and the vote it needs. */
    @Serdeable
    public record ProposalRecord(io.gridledger.ledger.Proposal proposal, @Nullable Parameters amends, int required,
                                 List<String> members) {
        public ProposalRecord {
            members = members == null ? List.of() : members;
        }
    }

    static Bucket bucket(TreeMap<Long, Bucket> buckets, long at) {
        return buckets.getOrDefault(minute(at), Bucket.empty());
    }

    static long minute(long at) {
        return Math.floorDiv(at, 60) * 60;
    }
}
