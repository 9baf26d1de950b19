package io.gridledger.chaincode.app.jobs;

import io.gridledger.chaincode.app.Context;
import io.gridledger.chaincode.app.ContractEvent;
import io.gridledger.chaincode.app.MarketService;
import io.gridledger.chaincode.app.ReputationStore;
import io.gridledger.chaincode.domain.Consensus;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.domain.ReplicaState;
import io.gridledger.chaincode.domain.Reputation;
import io.gridledger.chaincode.domain.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deadlines, enforced by anyone: times out replicas that missed their commit deadline (penalising them) and
 * reassigns them while the job's deadline allows; settles a job whose reveal window closed; fails a job that can no
 * longer finish (queued too long, or waiting for tie-breakers that cannot run in time).
 *
 * <p>A deadline counts as passed only when the transaction's time is past it by more than the clock tolerance, so
 * a member that stamps its proposal ahead of time cannot time out an honest provider early.
 */
public final class ExpiryService {

    private final JobStore jobs;
    private final MarketService market;
    private final MatchingService matching;
    private final ResultService results;
    private final SettlementService settlement;

    public ExpiryService(JobStore jobs, MarketService market, MatchingService matching, ResultService results,
                         SettlementService settlement) {
        this.jobs = jobs;
        this.market = market;
        this.matching = matching;
        this.results = results;
        this.settlement = settlement;
    }

    public Job expire(Context ctx, String jobId) {
        ctx.caller().requireMember(ctx.params(), "ExpireJob");
        var job = jobs.find(ctx, jobId);
        var terms = job.terms();
        long now = ctx.now();
        long latestStart = job.spec().deadline() - job.spec().timeoutSeconds() - terms.commitGraceSeconds();
        if (job.status() == Job.Status.QUEUED) {
            if (!terms.surelyPassed(latestStart, now)) {
                throw Rejection.wrongState("job " + jobId + " is queued and can still meet its deadline "
                        + job.spec().deadline() + " if matched by " + latestStart);
            }
            return settlement.finish(ctx, job, JobEnding.refundAll(job, jobs.escrow(ctx, jobId), Map.of(),
                    Job.Status.FAILED, "DEADLINE: not matched before the job could finish by its deadline"));
        }
        if (job.status() != Job.Status.RUNNING) {
            throw Rejection.wrongState("job " + jobId + " is " + job.status() + "; nothing to expire");
        }
        if (job.phase() == Job.Phase.TIEBREAK) {
            if (!terms.surelyPassed(latestStart, now)) {
                throw Rejection.wrongState("job " + jobId + " is waiting for tie-breakers, which can still run if matched by "
                        + latestStart);
            }
            return settlement.settleClosed(ctx, job);
        }
        if (job.phase() == Job.Phase.REVEAL) {
            requireWindowClosed(job, job.revealDeadline(), now);
            return settlement.settleClosed(ctx, job);
        }
        return expireCommitPhase(ctx, job);
    }

    private Job expireCommitPhase(Context ctx, Job job) {
        long now = ctx.now();
        var terms = job.terms();
        var states = jobs.states(ctx, job);
        var current = JobStore.active(JobStore.ofRound(states, job.round()));
        var late = current.stream()
                .filter(r -> !r.committed() && terms.surelyPassed(r.replica().commitDeadline(), now))
                .map(ReplicaState::replica).toList();
        if (late.isEmpty()) {
            if (current.stream().allMatch(ReplicaState::committed)) {
                requireWindowClosed(job, results.revealDeadline(ctx, job), now);
                return settlement.settleClosed(ctx, job);
            }
            throw Rejection.wrongState("no replica of job " + job.jobId() + " has missed its commit deadline by more than the "
                    + terms.clockToleranceSeconds() + " s clock tolerance yet");
        }
        var reputation = new ReputationStore(ctx.state());
        for (var replica : late) {
            jobs.putReplica(ctx, replica.timedOut());
            reputation.add(replica.nodeOrg(), replica.nodeId(),
                    Reputation.of(Verdict.NO_SHOW, job.clientOrg(), replica.nodeOrg(), 0));
            market.slash(ctx, replica.offerId(), replica.collateral(), terms.slashBasisPoints());
        }
        var others = JobStore.active(states).stream().filter(r -> !late.contains(r.replica())).toList();
        var replacements = job.canStillRun(now) && late.stream().allMatch(r -> r.attempt() < Replica.MAX_ATTEMPTS)
                ? matching.reassign(ctx, job.replaced(late, List.of(), now), late, others) : List.<Replica>of();
        var holds = replacements.stream()
                .map(r -> new Job.Hold(r.offerId(), r.slot(), r.index(), r.attempt(), false)).toList();
        var replaced = job.replaced(late, holds, now);
        var remaining = new ArrayList<>(others);
        replacements.forEach(r -> remaining.add(new ReplicaState(r, null, null)));
        var assignments = new ArrayList<ContractEvent.Assignment>();
        replacements.forEach(r -> assignments.add(MatchingService.assignment(r, replaced.sharedOrg())));

        var verification = job.verification();
        if (job.round() == 0 && Consensus.weight(remaining, verification.countsOrgs()) < verification.quorum()) {
            var undecided = new LinkedHashMap<ReplicaState, Verdict>();
            remaining.forEach(r -> undecided.put(r, Verdict.UNDECIDED));
            return settlement.finish(ctx, replaced, JobEnding.refundAll(replaced, jobs.escrow(ctx, job.jobId()), undecided,
                    Job.Status.FAILED, "NOT_ENOUGH_PROVIDERS: " + remaining.size() + " replica(s) left for quorum "
                            + verification.quorum()));
        }
        if (job.round() == 1 && remaining.stream().noneMatch(r -> r.replica().round() == 1)) {
            jobs.save(ctx, job, replaced);
            return settlement.settleClosed(ctx, replaced);
        }
        boolean waiting = remaining.stream().anyMatch(r -> r.replica().round() == job.round() && !r.committed());
        var next = waiting ? replaced : replaced.revealPhase(now);
        jobs.save(ctx, job, next);
        if (!replacements.isEmpty()) {
            jobs.protect(ctx, next, remaining);
        }
        ctx.state().emit("ReplicasExpired", ContractEvent.of("ReplicasExpired")
                .withJobs(List.of(job.jobId()), Map.of(job.jobId(), next.status().name())).withAssignments(assignments));
        return next;
    }

    private static void requireWindowClosed(Job job, long windowEnd, long now) {
        if (!job.terms().surelyPassed(windowEnd, now)) {
            throw Rejection.wrongState("the reveal window of job " + job.jobId() + " is open until " + windowEnd
                    + " (plus the " + job.terms().clockToleranceSeconds() + " s clock tolerance)");
        }
    }
}
