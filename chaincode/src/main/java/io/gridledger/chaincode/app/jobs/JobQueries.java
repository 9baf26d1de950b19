package io.gridledger.chaincode.app.jobs;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.gridledger.chaincode.app.Context;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.domain.ReplicaCommit;
import io.gridledger.chaincode.domain.ReplicaReveal;
import io.gridledger.chaincode.domain.Verdict;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The read model of one job: the job with its replicas, and its history. */
public final class JobQueries {

    private final JobStore jobs;

    public JobQueries(JobStore jobs) {
        this.jobs = jobs;
    }

    /** A job with its replicas and remaining escrow. */
    public record JobView(Job job, List<ReplicaView> replicas, long escrow) {
    }

    /**
     * One replica: its assignment, its node's commitment and reveal (when made) and its verdict (once the job ended).
     */
    public record ReplicaView(Replica assignment, ReplicaCommit commit, ReplicaReveal reveal, Verdict verdict) {
    }

    /** One change in a job's history: which key, when, by which transaction. */
    public record HistoryEntry(String asset, String txId, long timestamp, boolean deleted, @JsonRawValue String value) {
    }

    public JobView view(Context ctx, String jobId) {
        var job = jobs.find(ctx, jobId);
        var replicas = new ArrayList<ReplicaView>();
        for (var state : jobs.states(ctx, job)) {
            var verdict = job.outcome() == null ? null : job.outcome().verdicts().get(state.index());
            replicas.add(new ReplicaView(state.replica(), state.commit(), state.reveal(), verdict));
        }
        return new JobView(job, replicas, jobs.escrow(ctx, jobId));
    }

    /** Every change to a job, its escrow and its replicas' assignments, commitments and reveals, oldest first. */
    public List<HistoryEntry> history(Context ctx, String jobId) {
        var job = jobs.find(ctx, jobId);
        var assets = new ArrayList<String[]>();
        assets.add(new String[] {"job", Keys.job(jobId)});
        assets.add(new String[] {"escrow", Keys.escrow(jobId)});
        for (int index = 0; index < job.replicaCount(); index++) {
            assets.add(new String[] {"replica/" + index, Keys.replica(jobId, index)});
            assets.add(new String[] {"commit/" + index, Keys.commit(jobId, index)});
            assets.add(new String[] {"reveal/" + index, Keys.reveal(jobId, index)});
        }
        var entries = new ArrayList<HistoryEntry>();
        for (var asset : assets) {
            for (var change : ctx.state().history(asset[1])) {
                var value = change.value() == null ? null : LedgerState.utf8(change.value());
                entries.add(new HistoryEntry(asset[0], change.txId(), change.timestamp(), change.deleted(), value));
            }
        }
        entries.sort(Comparator.comparingLong(HistoryEntry::timestamp).thenComparing(HistoryEntry::asset));
        return entries;
    }
}
