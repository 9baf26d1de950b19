package io.gridledger.chaincode.app.jobs;

import io.gridledger.chaincode.app.Context;
import io.gridledger.chaincode.app.ContractEvent;
import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.JobSpec;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.Keys;

import java.util.List;
import java.util.Map;

/**
 * Submission: the client's job spec becomes a queued job and the most it can cost moves into escrow.
 *
 * <p>Submitting never reads the market: it writes only the job's own keys and one balance shard of the client, so
 * concurrent submissions do not conflict. Matching is its own transaction ({@link MatchingService}).
 */
public final class SubmissionService {

    private final JobStore jobs;

    public SubmissionService(JobStore jobs) {
        this.jobs = jobs;
    }

    public Job submit(Context ctx, JobSpec spec) {
        var params = ctx.params();
        var caller = ctx.caller().require(params, Role.CLIENT, "SubmitJob");
        if (ctx.state().exists(Keys.job(spec.jobId()))) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "job " + spec.jobId() + " already exists");
        }
        var job = Job.submit(spec, caller.accountId(), caller.mspId(), params, ctx.now());
        ctx.balances().debit(job.clientId(), job.escrowed());
        jobs.writeEscrow(ctx, job.jobId(), job.escrowed());
        jobs.save(ctx, null, job);
        ctx.state().emit("JobSubmitted", ContractEvent.of("JobSubmitted")
                .withJobs(List.of(job.jobId()), Map.of(job.jobId(), job.status().name()))
                .withResourceClass(job.resourceClass()));
        return job;
    }
}
