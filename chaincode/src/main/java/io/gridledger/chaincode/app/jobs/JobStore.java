package io.gridledger.chaincode.app.jobs;

import io.gridledger.chaincode.app.Context;
import io.gridledger.chaincode.domain.Ids;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.domain.ReplicaCommit;
import io.gridledger.chaincode.domain.ReplicaReveal;
import io.gridledger.chaincode.domain.ReplicaState;
import io.gridledger.chaincode.ledger.EndorsementPolicies;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads and writes a job's keys: the job record and its indexes, its replicas with their commitments and reveals,
 * its escrow, and the key-level endorsement policy that guards its completion. The one place that knows how a job
 * is laid out on the ledger.
 */
public final class JobStore {

    public Job find(Context ctx, String jobId) {
        Ids.requireAssetId("jobId", jobId);
        return get(ctx, jobId).orElseThrow(() -> Rejection.notFound("job", jobId));
    }

    public Optional<Job> get(Context ctx, String jobId) {
        return ctx.state().get(Keys.job(jobId), Job.class);
    }

    /** Writes a job and keeps its indexes (client, status, matching queue) in line with it. */
    public void save(Context ctx, Job old, Job job) {
        var state = ctx.state();
        state.put(Keys.job(job.jobId()), job);
        var queueKey = Keys.queued(job.resourceClass(), job.createdAt(), job.jobId());
        if (old == null) {
            state.putMarker(Keys.jobByClient(job.clientId(), job.jobId()));
        } else if (old.status() != job.status()) {
            state.delete(Keys.jobByStatus(old.status().name(), job.jobId()));
        }
        if (old == null || old.status() != job.status()) {
            state.putMarker(Keys.jobByStatus(job.status().name(), job.jobId()));
        }
        boolean wasQueued = old != null && old.awaitsMatching();
        if (job.awaitsMatching() && !wasQueued) {
            state.putMarker(queueKey);
        } else if (!job.awaitsMatching() && wasQueued) {
            state.delete(queueKey);
        }
    }

    public Replica replica(Context ctx, Job job, int index) {
        Rejection.requireRange("replica", index, 0, Math.max(0, job.replicaCount() - 1));
        return ctx.state().get(Keys.replica(job.jobId(), index), Replica.class)
                .orElseThrow(() -> Rejection.notFound("replica", job.jobId() + "#" + index));
    }

    public void putReplica(Context ctx, Replica replica) {
        ctx.state().put(Keys.replica(replica.jobId(), replica.index()), replica);
    }

    public Optional<ReplicaCommit> commit(Context ctx, String jobId, int index) {
        return ctx.state().get(Keys.commit(jobId, index), ReplicaCommit.class);
    }

    public Optional<ReplicaReveal> reveal(Context ctx, String jobId, int index) {
        return ctx.state().get(Keys.reveal(jobId, index), ReplicaReveal.class);
    }

    /** Every replica of the job with its commitment and reveal, by index. */
    public List<ReplicaState> states(Context ctx, Job job) {
        var states = new ArrayList<ReplicaState>();
        for (int index = 0; index < job.replicaCount(); index++) {
            var replica = ctx.state().get(Keys.replica(job.jobId(), index), Replica.class).orElseThrow(
                    () -> new IllegalStateException("job " + job.jobId() + " lacks a replica"));
            states.add(state(ctx, replica));
        }
        return states;
    }

    /** Every replica of the job with its commitment, without reading any reveal. */
    public List<ReplicaState> committedStates(Context ctx, Job job) {
        var states = new ArrayList<ReplicaState>();
        for (int index = 0; index < job.replicaCount(); index++) {
            var replica = ctx.state().get(Keys.replica(job.jobId(), index), Replica.class).orElseThrow(
                    () -> new IllegalStateException("job " + job.jobId() + " lacks a replica"));
            states.add(new ReplicaState(replica, commit(ctx, job.jobId(), index).orElse(null), null));
        }
        return states;
    }

    /** The replica with its commitment and reveal, if its node made them. */
    public ReplicaState state(Context ctx, Replica replica) {
        return new ReplicaState(replica, commit(ctx, replica.jobId(), replica.index()).orElse(null),
                reveal(ctx, replica.jobId(), replica.index()).orElse(null));
    }

    public static List<ReplicaState> active(List<ReplicaState> states) {
        return states.stream().filter(ReplicaState::isActive).toList();
    }

    public static List<ReplicaState> ofRound(List<ReplicaState> states, int round) {
        return states.stream().filter(r -> r.replica().round() == round).toList();
    }

    public long escrow(Context ctx, String jobId) {
        return ctx.state().getRaw(Keys.escrow(jobId)).map(bytes -> Long.parseLong(LedgerState.utf8(bytes))).orElse(0L);
    }

    public void writeEscrow(Context ctx, String jobId, long amount) {
        ctx.state().putRaw(Keys.escrow(jobId), Long.toString(amount).getBytes(StandardCharsets.UTF_8));
    }

    public void deleteEscrow(Context ctx, String jobId) {
        ctx.state().delete(Keys.escrow(jobId));
    }

    /**
     * Guards the job and escrow keys: completing the job or moving its escrow needs a majority of member orgs
     * including one that is neither the client's org nor paid by the job ({@link EndorsementPolicies}).
     */
    public void protect(Context ctx, Job job, List<ReplicaState> replicas) {
        var interested = new TreeSet<String>();
        interested.add(job.clientOrg());
        replicas.stream().filter(ReplicaState::isActive).forEach(r -> interested.add(r.org()));
        var policy = EndorsementPolicies.jobCompletion(ctx.params().members(), interested);
        ctx.state().setEndorsementPolicy(Keys.job(job.jobId()), policy);
        ctx.state().setEndorsementPolicy(Keys.escrow(job.jobId()), policy);
    }
}
