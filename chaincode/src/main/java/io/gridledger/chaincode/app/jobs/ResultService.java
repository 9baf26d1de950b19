package io.gridledger.chaincode.app.jobs;

import io.gridledger.chaincode.app.Context;
import io.gridledger.chaincode.app.ContractEvent;
import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.domain.ReplicaCommit;
import io.gridledger.chaincode.domain.ReplicaReveal;
import io.gridledger.chaincode.ledger.Caller;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.Keys;

import java.util.List;
import java.util.Map;

/**
 * Commit–reveal, by the provider nodes themselves: each node commits to its result, and reveals it once every
 * replica of the round has committed. Each writes only its own key ({@code commit}, {@code reveal}) and reads only
 * keys no other provider writes, so the providers of one job commit and reveal in parallel without conflicts. The
 * decision is a separate transaction ({@link SettlementService#settle}), which a gateway runs once the reveals are in.
 */
public final class ResultService {

    private final JobStore jobs;

    public ResultService(JobStore jobs) {
        this.jobs = jobs;
    }

    public ReplicaCommit commit(Context ctx, String jobId, int index, String commitment) {
        var caller = ctx.caller().require(ctx.params(), Role.PROVIDER, "CommitResult");
        var job = jobs.find(ctx, jobId);
        if (job.status() != Job.Status.RUNNING || job.phase() != Job.Phase.COMMIT) {
            throw Rejection.wrongState("job " + jobId + " is " + job.status() + (job.status() == Job.Status.RUNNING
                    ? " in phase " + job.phase() : "") + "; commitments are taken in its commit phase");
        }
        var replica = ownReplica(ctx, job, index, caller);
        if (jobs.commit(ctx, jobId, index).filter(c -> c.attempt() == replica.attempt()).isPresent()) {
            throw Rejection.wrongState("replica " + index + " of job " + jobId + " has already committed");
        }
        var commit = ReplicaCommit.of(replica, commitment, ctx.now());
        ctx.state().put(Keys.commit(jobId, index), commit);
        ctx.state().emit("ResultCommitted", ContractEvent.of("ResultCommitted")
                .withJobs(List.of(jobId), Map.of()).withReplica(index));
        return commit;
    }

    /**
     * Opens a replica's commitment. {@code result} is the result fingerprint, except for a tie-breaker, which
     * reveals the digest itself ({@link ReplicaReveal#open}).
     */
    public ReplicaReveal reveal(Context ctx, String jobId, int index, String result, String salt, long runtimeSeconds) {
        var caller = ctx.caller().require(ctx.params(), Role.PROVIDER, "RevealResult");
        var job = jobs.find(ctx, jobId);
        if (job.status() != Job.Status.RUNNING || job.phase() == Job.Phase.TIEBREAK) {
            throw Rejection.wrongState("job " + jobId + " is " + job.status() + (job.status() == Job.Status.RUNNING
                    ? " waiting for tie-breakers" : "") + "; it takes no reveals");
        }
        var replica = ownReplica(ctx, job, index, caller);
        var commit = jobs.commit(ctx, jobId, index).filter(c -> c.attempt() == replica.attempt())
                .orElseThrow(() -> Rejection.wrongState("replica " + index + " of job " + jobId + " has not committed"));
        if (jobs.reveal(ctx, jobId, index).filter(r -> r.attempt() == replica.attempt()).isPresent()) {
            throw Rejection.wrongState("replica " + index + " of job " + jobId + " has already revealed");
        }
        long deadline = revealDeadline(ctx, job);
        if (ctx.now() > deadline) {
            throw new Rejection(ErrorCode.DEADLINE_PASSED, "the reveal window of job " + jobId + " closed at " + deadline);
        }
        var reveal = ReplicaReveal.open(replica, commit, result, salt, runtimeSeconds, job.spec().timeoutSeconds(), ctx.now());
        ctx.state().put(Keys.reveal(jobId, index), reveal);
        ctx.state().emit("ResultRevealed", ContractEvent.of("ResultRevealed")
                .withJobs(List.of(jobId), Map.of()).withReplica(index));
        return reveal;
    }

    /**
     * When the reveal window of the job's current round closes. In the commit phase the window opens only once every
     * active replica of the round has committed, and closes {@code revealWindowSeconds} after the last commit;
     * after expiry closed the commit phase, the job records it.
     */
    long revealDeadline(Context ctx, Job job) {
        if (job.phase() == Job.Phase.REVEAL) {
            return job.revealDeadline();
        }
        long lastCommit = 0;
        // Assignments and commitments only: reading the other replicas' reveal keys would make concurrent reveals
        // of one job collide.
        for (var replica : JobStore.active(JobStore.ofRound(jobs.committedStates(ctx, job), job.round()))) {
            if (!replica.committed()) {
                throw Rejection.wrongState("the commit phase of job " + job.jobId() + " is still open: replica "
                        + replica.index() + " (" + replica.nodeId() + ") has not committed");
            }
            lastCommit = Math.max(lastCommit, replica.commit().committedAt());
        }
        return lastCommit + job.terms().revealWindowSeconds();
    }

    private Replica ownReplica(Context ctx, Job job, int index, Caller caller) {
        var replica = jobs.replica(ctx, job, index);
        if (!replica.nodeId().equals(caller.accountId())) {
            throw Rejection.forbidden("replica " + index + " of job " + job.jobId() + " is assigned to "
                    + replica.nodeId() + ", not " + caller.accountId());
        }
        if (!replica.isActive()) {
            throw Rejection.wrongState("replica " + index + " of job " + job.jobId() + " timed out");
        }
        if (replica.round() != job.round()) {
            throw Rejection.wrongState("replica " + index + " of job " + job.jobId() + " belongs to round "
                    + replica.round() + ", which was decided; the job is in round " + job.round());
        }
        return replica;
    }
}
