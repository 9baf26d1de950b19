package io.gridledger.chaincode.app.jobs;

import io.gridledger.chaincode.app.Context;
import io.gridledger.chaincode.app.ContractEvent;
import io.gridledger.chaincode.app.MarketService;
import io.gridledger.chaincode.app.ReputationStore;
import io.gridledger.chaincode.domain.Consensus;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.ReplicaState;
import io.gridledger.chaincode.domain.Reputation;
import io.gridledger.chaincode.domain.Settlement;
import io.gridledger.chaincode.domain.Verdict;
import io.gridledger.chaincode.domain.Verification;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.Keys;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decision and the money: settles a job from its reveals (complete, add tie-breakers, or fail), cancels a job,
 * and applies how a job ends ({@link JobEnding}).
 *
 * <p>Settling is its own transaction ({@code SettleJob}), run by a gateway once the reveals are in (it sees every
 * {@code ResultRevealed} event) or by anyone once the reveal window has closed. It is the one transaction of the
 * lifecycle that reads every reveal, and it writes only the job, its escrow and keys no other transaction reads
 * (credit and reputation entries), so it conflicts with nothing but a second settlement of the same job.
 */
public final class SettlementService {

    private final JobStore jobs;
    private final MarketService market;
    private final ResultService results;

    public SettlementService(JobStore jobs, MarketService market, ResultService results) {
        this.jobs = jobs;
        this.market = market;
        this.results = results;
    }

    /**
     * Decides the job from its reveals: completes it when a result has the quorum and no replica is still to reveal
     * (or the reveal window closed); asks for tie-breakers when the replicas split and the escrow and the deadline
     * allow; fails it otherwise. Refused while reveals can still change the decision.
     */
    public Job settle(Context ctx, String jobId) {
        ctx.caller().requireMember(ctx.params(), "SettleJob");
        var job = jobs.find(ctx, jobId);
        if (job.status() != Job.Status.RUNNING) {
            throw Rejection.wrongState("job " + jobId + " is " + job.status() + "; nothing to settle");
        }
        if (job.phase() == Job.Phase.TIEBREAK) {
            throw Rejection.wrongState("job " + jobId + " is waiting for " + job.tieBreakers() + " tie-breaker(s) to be matched");
        }
        long windowEnd = results.revealDeadline(ctx, job);
        boolean windowClosed = job.terms().surelyPassed(windowEnd, ctx.now());
        var states = jobs.states(ctx, job);
        var decision = decide(job, states, windowClosed);
        if (decision instanceof Consensus.Reached reached) {
            return complete(ctx, job, reached);
        }
        if (decision instanceof Consensus.Split split) {
            return tieBreakOrFail(ctx, job, states, split);
        }
        throw Rejection.wrongState("job " + jobId + " is waiting for " + ((Consensus.Pending) decision).waitingFor()
                + " reveal(s) until " + windowEnd + " (anyone may settle it once " + job.terms().clockToleranceSeconds()
                + " s past that)");
    }

    /**
     * Decides a job whose reveal windows have all closed (expiry): completes it if a result has the quorum, else
     * asks for tie-breakers or fails it.
     */
    Job settleClosed(Context ctx, Job job) {
        var states = jobs.states(ctx, job);
        var decision = decide(job, states, true);
        if (decision instanceof Consensus.Reached reached) {
            return complete(ctx, job, reached);
        }
        return tieBreakOrFail(ctx, job, states, (Consensus.Split) decision);
    }

    /** Cancels a job: the client (or an admin of its org) gets back all that is not owed for honest work done. */
    public Job cancel(Context ctx, String jobId) {
        var caller = ctx.caller().requireMember(ctx.params(), "CancelJob");
        var job = jobs.find(ctx, jobId);
        boolean owner = caller.accountId().equals(job.clientId());
        boolean orgAdmin = caller.role() == Role.ADMIN && caller.mspId().equals(job.clientOrg());
        if (!owner && !orgAdmin) {
            throw Rejection.forbidden("only the job's client " + job.clientId() + " or an admin of " + job.clientOrg() + " can cancel it");
        }
        if (job.isFinished()) {
            throw Rejection.wrongState("job " + jobId + " is already " + job.status());
        }
        long escrow = jobs.escrow(ctx, jobId);
        var reason = "CANCELLED by " + caller.accountId();
        if (job.status() == Job.Status.QUEUED) {
            return finish(ctx, job, JobEnding.refundAll(job, escrow, Map.of(), Job.Status.CANCELLED, reason));
        }
        // Work is paid as far as the ledger saw it: to the commit for replicas that committed, to now (never before
        // the job's last recorded time) for those still within their deadline. Replicas that missed their deadline
        // are neither paid nor spared their penalty.
        long until = job.clock(ctx.now());
        long timeout = job.spec().timeoutSeconds();
        var verdicts = new LinkedHashMap<ReplicaState, Verdict>();
        var claims = new ArrayList<Settlement.Claim>();
        for (var state : JobStore.active(jobs.states(ctx, job))) {
            var replica = state.replica();
            if (state.committed()) {
                claims.add(new Settlement.Claim(state.nodeId(), replica.unitPrice(), state.observedSeconds(timeout)));
                verdicts.put(state, Verdict.UNDECIDED);
            } else if (job.terms().surelyPassed(replica.commitDeadline(), ctx.now())) {
                verdicts.put(state, Verdict.NO_SHOW);
            } else {
                long elapsed = Math.max(0, Math.min(until - replica.assignedAt(), timeout));
                claims.add(new Settlement.Claim(state.nodeId(), replica.unitPrice(), elapsed));
                verdicts.put(state, Verdict.UNDECIDED);
            }
        }
        return finish(ctx, job, JobEnding.of(job, Job.Status.CANCELLED, verdicts, claims, escrow, null, 0, reason));
    }

    /** The consensus of the job's replicas: reveals of the current round count while its window is open. */
    static Consensus.Decision decide(Job job, List<ReplicaState> states, boolean windowClosed) {
        var verification = job.verification();
        return Consensus.decide(JobStore.active(states), verification.quorum(), verification.countsOrgs(),
                r -> !windowClosed && r.replica().round() == job.round());
    }

    private Job complete(Context ctx, Job job, Consensus.Reached reached) {
        long timeout = job.spec().timeoutSeconds();
        var claims = Settlement.agreeingClaims(reached.agreeing(), timeout);
        var verdicts = new LinkedHashMap<ReplicaState, Verdict>();
        reached.agreeing().forEach(r -> verdicts.put(r, Verdict.AGREED));
        reached.dissenting().forEach(r -> verdicts.put(r, Verdict.DISSENTED));
        reached.silent().forEach(r -> verdicts.put(r, Verdict.NO_SHOW));
        return finish(ctx, job, JobEnding.of(job, Job.Status.COMPLETED, verdicts, claims, jobs.escrow(ctx, job.jobId()),
                reached.fingerprint(), Settlement.medianSeconds(reached.agreeing(), timeout), null));
    }

    /**
     * The replicas split. As BOINC does, the job asks for as many tie-breaking replicas as its quorum lacks, on orgs
     * it has not used, if its escrow covers them and they can still run before the deadline; matching places them.
     * Otherwise it fails, and the disagreement counts against every side.
     */
    private Job tieBreakOrFail(Context ctx, Job job, List<ReplicaState> states, Consensus.Split split) {
        var verification = job.verification();
        int needed = verification.quorum() - split.strongest();
        if (tieBreakPossible(ctx, job, states, needed)) {
            var waiting = job.awaitingTieBreakers(needed, ctx.now());
            jobs.save(ctx, job, waiting);
            ctx.state().emit("TieBreakRequested", ContractEvent.of("TieBreakRequested")
                    .withJobs(List.of(job.jobId()), Map.of(job.jobId(), waiting.status().name()))
                    .withResourceClass(job.resourceClass()));
            return waiting;
        }
        return fail(ctx, job, split, "NO_CONSENSUS: no result reached quorum " + verification.quorum()
                + (job.round() == 0 ? " and no tie-breaker can run" : " after the tie-break"));
    }

    private boolean tieBreakPossible(Context ctx, Job job, List<ReplicaState> states, int needed) {
        var verification = job.verification();
        if (job.round() != 0 || verification.mode() != Verification.Mode.REPLICATED
                || needed > verification.maxReplicas() - job.replicaCount() || !job.canStillRun(ctx.now())) {
            return false;
        }
        if (!verification.countsOrgs()) {
            return true;
        }
        var usedOrgs = new HashSet<String>();
        states.forEach(r -> usedOrgs.add(r.org()));
        long freeOrgs = ctx.params().members().stream().filter(org -> !usedOrgs.contains(org)).count();
        return freeOrgs >= needed;
    }

    /**
     * Fails a split job: every revealed replica is DISPUTED, silent ones are no-shows. Groups of replicas from two or
     * more orgs that agreed with each other did honest work even below the quorum: they are paid.
     */
    Job fail(Context ctx, Job job, Consensus.Split split, String reason) {
        long timeout = job.spec().timeoutSeconds();
        var claims = new ArrayList<Settlement.Claim>();
        for (var group : split.groups().values()) {
            if (Consensus.weight(group, true) >= 2) {
                claims.addAll(Settlement.agreeingClaims(group, timeout));
            }
        }
        var verdicts = new LinkedHashMap<ReplicaState, Verdict>();
        split.revealed().forEach(r -> verdicts.put(r, Verdict.DISPUTED));
        split.silent().forEach(r -> verdicts.put(r, Verdict.NO_SHOW));
        return finish(ctx, job, JobEnding.of(job, Job.Status.FAILED, verdicts, claims, jobs.escrow(ctx, job.jobId()),
                null, 0, reason));
    }

    /**
     * Ends a job as {@code ending} says: records each judged replica's reputation evidence, slashes dissenters and
     * no-shows, pays the providers, the fee and the refund out of the escrow, and records the outcome. Slots go back
     * to the market later, by release after the end event, so this touches no market key.
     */
    Job finish(Context ctx, Job job, JobEnding ending) {
        var reputation = new ReputationStore(ctx.state());
        var slashed = new TreeMap<String, Long>();
        var verdicts = new TreeMap<Integer, Verdict>();
        for (var judged : ending.judged()) {
            var replica = judged.replica();
            verdicts.put(replica.index(), judged.verdict());
            reputation.add(replica.nodeOrg(), replica.nodeId(),
                    Reputation.of(judged.verdict(), job.clientOrg(), replica.nodeOrg(), judged.paid()));
            if (judged.verdict() == Verdict.DISSENTED || judged.verdict() == Verdict.NO_SHOW) {
                long taken = market.slash(ctx, replica.offerId(), replica.collateral(), job.terms().slashBasisPoints());
                slashed.merge(replica.nodeId(), taken, Long::sum);
            }
        }
        var settlement = ending.settlement();
        settlement.payments().forEach((node, amount) -> ctx.balances().credit(node, amount));
        ctx.balances().credit(Keys.TREASURY, settlement.fee());
        ctx.balances().credit(job.clientId(), settlement.refund());
        jobs.deleteEscrow(ctx, job.jobId());
        var outcome = new Job.Outcome(ending.fingerprint(), ending.runtime(), ending.reason(), verdicts,
                settlement.payments(), settlement.fee(), settlement.refund(), slashed);
        var finished = job.finished(ending.status(), outcome, ctx.now());
        jobs.save(ctx, job, finished);
        var type = switch (ending.status()) {
            case COMPLETED -> "JobCompleted";
            case CANCELLED -> "JobCancelled";
            default -> "JobFailed";
        };
        ctx.state().emit(type, ContractEvent.of(type)
                .withJobs(List.of(job.jobId()), Map.of(job.jobId(), ending.status().name()))
                .withResourceClass(job.resourceClass()));
        return finished;
    }
}
