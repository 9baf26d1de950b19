package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Ids;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.JobMatcher;
import io.gridledger.chaincode.domain.JobSpec;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.domain.Reputation;
import io.gridledger.chaincode.domain.Settlement;
import io.gridledger.chaincode.domain.Consensus;
import io.gridledger.chaincode.ledger.Caller;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.EndorsementPolicies;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The life of a job: submission with escrow, matching, commit–reveal, consensus, settlement, expiry and
 * cancellation.
 *
 * <p>Submitting never reads the market, so concurrent submissions do not conflict. Matching is its own
 * transaction ({@code MatchJobs}): gateways run it when they see a {@code JobSubmitted} event or capacity
 * appear, and one run places many jobs. Committing writes only the replica's own key, so providers of one
 * job commit in parallel.
 */
public final class JobService {

    private final MarketService market;

    public JobService(MarketService market) {
        this.market = market;
    }

    /** A job with its replicas: the read model of one job. */
    public record JobView(Job job, List<Replica> replicas, long escrow) {
    }

    /** What one matching run did. */
    public record MatchReport(List<ContractEvent.Assignment> assignments, Map<String, Job.Unmatched> unmatched,
                              List<String> skipped) {
    }

    public Job submit(Context ctx, JobSpec spec) {
        var params = ctx.params();
        var caller = ctx.caller().require(params, Role.CLIENT, "SubmitJob");
        if (ctx.state().exists(Keys.job(spec.jobId()))) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "job " + spec.jobId() + " already exists");
        }
        var job = Job.submit(spec, caller.accountId(), caller.mspId(), params, ctx.now());
        ctx.balances().debit(job.clientId(), job.escrowed());
        writeEscrow(ctx, job.jobId(), job.escrowed());
        save(ctx, null, job);
        ctx.state().emit("JobSubmitted", ContractEvent.of("JobSubmitted")
                .withJobs(List.of(job.jobId()), Map.of(job.jobId(), job.status().name()))
                .withResourceClass(job.resourceClass()));
        return job;
    }

    /** Matches the given queued jobs; jobs no longer queued are skipped, so racing gateways are harmless. */
    public MatchReport match(Context ctx, List<String> jobIds) {
        ctx.caller().requireMember(ctx.params(), "MatchJobs");
        Rejection.require(!jobIds.isEmpty() && jobIds.size() <= 100, "MatchJobs takes 1 to 100 job ids");
        var unique = new TreeSet<String>();
        for (var id : jobIds) {
            Ids.requireAssetId("jobId", id);
            Rejection.require(unique.add(id), "job id " + id + " is listed twice");
        }
        var assignments = new ArrayList<ContractEvent.Assignment>();
        var unmatched = new TreeMap<String, Job.Unmatched>();
        var skipped = new ArrayList<String>();
        var statuses = new TreeMap<String, String>();
        for (var id : jobIds) {
            var job = ctx.state().get(Keys.job(id), Job.class).orElse(null);
            if (job == null || job.status() != Job.Status.QUEUED) {
                skipped.add(id);
                continue;
            }
            var placed = place(ctx, job);
            if (placed.isEmpty()) {
                unmatched.put(id, ctx.state().get(Keys.job(id), Job.class).orElseThrow().unmatched());
            } else {
                assignments.addAll(placed);
                statuses.put(id, Job.Status.RUNNING.name());
            }
        }
        ctx.state().emit("JobsMatched", ContractEvent.of("JobsMatched")
                .withJobs(List.copyOf(statuses.keySet()), statuses).withAssignments(assignments));
        return new MatchReport(assignments, unmatched, skipped);
    }

    /** Matches up to {@code limit} queued jobs of a resource class, oldest first. */
    public MatchReport matchQueue(Context ctx, String resourceClass, int limit) {
        Rejection.requireRange("limit", limit, 1, 100);
        Rejection.require(resourceClass != null && !resourceClass.isBlank(), "resourceClass is required");
        var ids = new ArrayList<String>();
        for (var key : ctx.state().scan(Keys.queueOf(resourceClass), entry -> entry.getKey())) {
            if (ids.size() == limit) {
                break;
            }
            ids.add(Keys.attributes(key).get(2));
        }
        if (ids.isEmpty()) {
            ctx.caller().requireMember(ctx.params(), "MatchQueue");
            ctx.state().emit("JobsMatched", ContractEvent.of("JobsMatched"));
            return new MatchReport(List.of(), Map.of(), List.of());
        }
        return match(ctx, ids);
    }

    public Replica commit(Context ctx, String jobId, int index, String commitment) {
        var caller = ctx.caller().require(ctx.params(), Role.PROVIDER, "CommitResult");
        var job = running(ctx, jobId);
        var replica = ownReplica(ctx, job, index, caller);
        Ids.requireSha256("commitment", commitment);
        var marker = Keys.commitment(jobId, commitment);
        if (ctx.state().exists(marker)) {
            throw Rejection.invalid("commitment already used by another replica of job " + jobId + "; commit your own H(digest || salt)");
        }
        var committed = replica.commit(commitment, ctx.now());
        ctx.state().put(Keys.replica(jobId, index), committed);
        ctx.state().putMarker(marker);
        ctx.state().emit("ResultCommitted", ContractEvent.of("ResultCommitted")
                .withJobs(List.of(jobId), Map.of()));
        return committed;
    }

    public Job reveal(Context ctx, String jobId, int index, String digest, String salt, long runtimeSeconds) {
        var caller = ctx.caller().require(ctx.params(), Role.PROVIDER, "RevealResult");
        var job = running(ctx, jobId);
        var replica = ownReplica(ctx, job, index, caller);
        var replicas = replicas(ctx, job);
        var active = active(replicas);
        if (!revealOpen(job, active)) {
            throw Rejection.wrongState("the commit phase of job " + jobId + " is still open: every replica must commit first");
        }
        long deadline = revealDeadline(ctx, job, active);
        if (ctx.now() > deadline) {
            throw new Rejection(ErrorCode.DEADLINE_PASSED, "the reveal window of job " + jobId + " closed at " + deadline);
        }
        var revealed = replica.reveal(digest, salt, runtimeSeconds, job.timeoutSeconds());
        ctx.state().put(Keys.replica(jobId, index), revealed);
        replicas.set(index, revealed);
        var decision = Consensus.decide(active(replicas), job.verification().quorum(), false);
        if (decision instanceof Consensus.Pending) {
            ctx.state().emit("ResultRevealed", ContractEvent.of("ResultRevealed").withJobs(List.of(jobId), Map.of()));
            return job;
        }
        return settle(ctx, job, replicas, decision);
    }

    /**
     * Enforces deadlines; anyone may call it. Times out replicas that missed their commit deadline
     * (penalising them) and reassigns them while the job's deadline allows; closes the commit phase when
     * enough replicas committed; decides the job when its reveal window closed; fails a queued job that can
     * no longer finish by its deadline.
     */
    public Job expire(Context ctx, String jobId) {
        ctx.caller().requireMember(ctx.params(), "ExpireJob");
        var job = find(ctx, jobId);
        long now = ctx.now();
        if (job.status() == Job.Status.QUEUED) {
            if (now + job.timeoutSeconds() <= job.deadline()) {
                throw Rejection.wrongState("job " + jobId + " is queued and can still meet its deadline " + job.deadline());
            }
            return finish(ctx, job, List.of(), Job.Status.FAILED, Map.of(), Settlement.refundAll(escrow(ctx, jobId)),
                    null, 0, "DEADLINE: no match before the job could finish by its deadline");
        }
        if (job.status() != Job.Status.RUNNING) {
            throw Rejection.wrongState("job " + jobId + " is " + job.status() + "; nothing to expire");
        }
        var replicas = replicas(ctx, job);
        var active = active(replicas);
        if (revealOpen(job, active)) {
            long deadline = revealDeadline(ctx, job, active);
            if (now <= deadline) {
                throw Rejection.wrongState("the reveal window of job " + jobId + " is open until " + deadline);
            }
            return settle(ctx, job, replicas, Consensus.decide(active, job.verification().quorum(), true));
        }
        return expireCommitPhase(ctx, job, replicas);
    }

    /** Cancels a job: the client (or an admin of its org) gets back all that is not owed for work already done. */
    public Job cancel(Context ctx, String jobId) {
        var params = ctx.params();
        var caller = ctx.caller().requireMember(params, "CancelJob");
        var job = find(ctx, jobId);
        boolean owner = caller.accountId().equals(job.clientId());
        boolean orgAdmin = caller.role() == Role.ADMIN && caller.mspId().equals(job.clientOrg());
        if (!owner && !orgAdmin) {
            throw Rejection.forbidden("only the job's client " + job.clientId() + " or an admin of " + job.clientOrg() + " can cancel it");
        }
        if (job.isFinished()) {
            throw Rejection.wrongState("job " + jobId + " is already " + job.status());
        }
        var replicas = job.status() == Job.Status.QUEUED ? List.<Replica>of() : replicas(ctx, job);
        long now = ctx.now();
        var claims = new ArrayList<Settlement.Claim>();
        var verdicts = new TreeMap<Integer, Replica.Verdict>();
        for (var replica : active(replicas)) {
            claims.add(new Settlement.Claim(replica.nodeId(), replica.unitPrice(),
                    Math.max(0, Math.min(now - replica.assignedAt(), job.timeoutSeconds()))));
            verdicts.put(replica.index(), Replica.Verdict.UNDECIDED);
        }
        var settlement = Settlement.split(claims, job.microUnits(), escrow(ctx, jobId), params.feeBasisPoints());
        return finish(ctx, job, replicas, Job.Status.CANCELLED, verdicts, settlement, null, 0, "CANCELLED by " + caller.accountId());
    }

    public Job find(Context ctx, String jobId) {
        Ids.requireAssetId("jobId", jobId);
        return ctx.state().get(Keys.job(jobId), Job.class).orElseThrow(() -> Rejection.notFound("job", jobId));
    }

    public JobView view(Context ctx, String jobId) {
        var job = find(ctx, jobId);
        // A job cancelled or expired before it was ever matched has no replicas: list the ones that exist.
        var replicas = new ArrayList<Replica>();
        for (int index = 0; index < job.verification().replicas(); index++) {
            ctx.state().get(Keys.replica(job.jobId(), index), Replica.class).ifPresent(replicas::add);
        }
        return new JobView(job, replicas, escrow(ctx, jobId));
    }

    // ---------------------------------------------------------------------------------------------------

    private List<ContractEvent.Assignment> place(Context ctx, Job job) {
        var params = ctx.params();
        long now = ctx.now();
        int needed = job.verification().replicas();
        JobMatcher.Result result;
        if (now + job.timeoutSeconds() > job.deadline()) {
            result = new JobMatcher.Unmatched(Job.Unmatched.Reason.DEADLINE,
                    "too late to run " + job.timeoutSeconds() + "s before the deadline " + job.deadline(), 0);
        } else {
            var candidates = new AffordableSlots(ctx.state(), job);
            var reputation = new ReputationStore(ctx.state());
            result = JobMatcher.match(job, needed, Set.copyOf(job.excludedNodes()), Set.of(), candidates,
                    node -> reputation.ofNode(Caller.orgOfAccount(node), node).score(), params.matchScanLimit());
            if (result instanceof JobMatcher.Unmatched none && none.scanned() == 0) {
                result = explainEmptyMarket(ctx, job, candidates.sawTooExpensive);
            }
        }
        if (result instanceof JobMatcher.Unmatched none) {
            var why = new Job.Unmatched(none.reason(), none.detail(), now);
            var previous = job.unmatched();
            if (previous == null || previous.reason() != why.reason() || !previous.detail().equals(why.detail())) {
                save(ctx, job, job.unmatched(why, now));
            }
            return List.of();
        }
        var slots = ((JobMatcher.Matched) result).slots();
        var assignments = new ArrayList<ContractEvent.Assignment>();
        var payees = new TreeSet<String>();
        for (int index = 0; index < slots.size(); index++) {
            assignments.add(assign(ctx, job, index, 1, slots.get(index)));
            payees.add(slots.get(index).org());
        }
        var running = job.assigned(now);
        save(ctx, job, running);
        protect(ctx, job.jobId(), payees);
        return assignments;
    }

    private JobMatcher.Unmatched explainEmptyMarket(Context ctx, Job job, boolean sawTooExpensive) {
        if (sawTooExpensive) {
            return new JobMatcher.Unmatched(Job.Unmatched.Reason.PRICE,
                    "every free slot of class " + job.resourceClass() + " costs more than maxUnitPrice " + job.maxUnitPrice(), 0);
        }
        boolean anyOffer = ctx.state().scan(Keys.offersOfClass(job.resourceClass()), entry -> entry).iterator().hasNext();
        if (anyOffer) {
            return new JobMatcher.Unmatched(Job.Unmatched.Reason.CAPACITY,
                    "every slot of class " + job.resourceClass() + " is busy or paused", 0);
        }
        return new JobMatcher.Unmatched(Job.Unmatched.Reason.RESOURCES,
                "no offer of class " + job.resourceClass() + " (architecture/GPU model) exists", 0);
    }

    private ContractEvent.Assignment assign(Context ctx, Job job, int index, int attempt, Replica.Slot slot) {
        var replica = Replica.assign(job.jobId(), index, attempt, slot, job, ctx.params(), ctx.now());
        ctx.state().put(Keys.replica(job.jobId(), index), replica);
        market.occupy(ctx, slot, job.jobId(), index);
        ctx.state().putMarker(Keys.jobByNode(slot.nodeId(), job.jobId()));
        return new ContractEvent.Assignment(job.jobId(), index, attempt, slot.nodeId(), slot.offerId(), replica.commitDeadline());
    }

    /** Completion and escrow keys of an assigned job need a majority of orgs including one not paid by it. */
    private void protect(Context ctx, String jobId, Set<String> payees) {
        var policy = EndorsementPolicies.jobCompletion(ctx.params().members(), payees);
        ctx.state().setEndorsementPolicy(Keys.job(jobId), policy);
        ctx.state().setEndorsementPolicy(Keys.escrow(jobId), policy);
    }

    private Job expireCommitPhase(Context ctx, Job job, List<Replica> replicas) {
        var params = ctx.params();
        long now = ctx.now();
        var late = active(replicas).stream()
                .filter(r -> r.status() == Replica.Status.ASSIGNED && now > r.commitDeadline()).toList();
        if (late.isEmpty()) {
            throw Rejection.wrongState("no replica of job " + job.jobId() + " has missed its commit deadline yet");
        }
        var reputation = new ReputationStore(ctx.state());
        var excluded = new ArrayList<String>();
        for (var replica : late) {
            var timedOut = replica.timedOut();
            ctx.state().put(Keys.replica(job.jobId(), replica.index()), timedOut);
            replicas.set(replica.index(), timedOut);
            market.release(ctx, replica);
            market.slash(ctx, replica.offerId(), now);
            reputation.add(replica.nodeOrg(), replica.nodeId(), Reputation.of(Replica.Verdict.NO_SHOW));
            excluded.add(replica.nodeId());
        }
        var current = job.excluding(excluded, now);
        var remaining = active(replicas);
        var assignments = new ArrayList<ContractEvent.Assignment>();
        if (now + job.timeoutSeconds() + params.commitGraceSeconds() <= job.deadline()) {
            var unavailable = new HashSet<>(current.excludedNodes());
            var usedOrgs = new HashSet<String>();
            for (var replica : remaining) {
                unavailable.add(replica.nodeId());
                usedOrgs.add(replica.nodeOrg());
            }
            var result = JobMatcher.match(current, late.size(), unavailable, usedOrgs, new AffordableSlots(ctx.state(), current),
                    node -> reputation.ofNode(Caller.orgOfAccount(node), node).score(), params.matchScanLimit());
            if (result instanceof JobMatcher.Matched matched) {
                for (int i = 0; i < late.size(); i++) {
                    var old = late.get(i);
                    var assignment = assign(ctx, current, old.index(), old.attempt() + 1, matched.slots().get(i));
                    assignments.add(assignment);
                    replicas.set(old.index(), ctx.state().get(Keys.replica(job.jobId(), old.index()), Replica.class).orElseThrow());
                }
            }
        }
        remaining = active(replicas);
        int quorum = current.verification().quorum();
        if (remaining.size() < quorum) {
            return finish(ctx, current, replicas, Job.Status.FAILED, undecided(remaining),
                    Settlement.refundAll(escrow(ctx, job.jobId())), null, 0,
                    "NOT_ENOUGH_PROVIDERS: " + remaining.size() + " replica(s) left for quorum " + quorum);
        }
        boolean waiting = remaining.stream().anyMatch(r -> r.status() == Replica.Status.ASSIGNED);
        var next = waiting ? current : current.revealPhase(now, params);
        save(ctx, job, next);
        if (!assignments.isEmpty()) {
            var payees = new TreeSet<String>();
            remaining.forEach(r -> payees.add(r.nodeOrg()));
            protect(ctx, job.jobId(), payees);
        }
        ctx.state().emit("ReplicasExpired", ContractEvent.of("ReplicasExpired")
                .withJobs(List.of(job.jobId()), Map.of(job.jobId(), next.status().name())).withAssignments(assignments));
        return next;
    }

    private Job settle(Context ctx, Job job, List<Replica> replicas, Consensus.Decision decision) {
        if (decision instanceof Consensus.Reached reached) {
            return complete(ctx, job, replicas, reached);
        }
        if (decision instanceof Consensus.Impossible impossible) {
            return failWithoutConsensus(ctx, job, replicas, impossible);
        }
        throw new IllegalStateException("a pending decision settles nothing");
    }

    private Job complete(Context ctx, Job job, List<Replica> replicas, Consensus.Reached reached) {
        var params = ctx.params();
        long runtime = Settlement.medianRuntime(reached.agreeing());
        var claims = new ArrayList<Settlement.Claim>();
        var verdicts = new TreeMap<Integer, Replica.Verdict>();
        for (var replica : reached.agreeing()) {
            claims.add(new Settlement.Claim(replica.nodeId(), replica.unitPrice(), runtime));
            verdicts.put(replica.index(), Replica.Verdict.AGREED);
        }
        reached.dissenting().forEach(r -> verdicts.put(r.index(), Replica.Verdict.DISSENTED));
        reached.silent().forEach(r -> verdicts.put(r.index(), Replica.Verdict.NO_SHOW));
        var settlement = Settlement.split(claims, job.microUnits(), escrow(ctx, job.jobId()), params.feeBasisPoints());
        return finish(ctx, job, replicas, Job.Status.COMPLETED, verdicts, settlement, reached.digest(), runtime, null);
    }

    private Job failWithoutConsensus(Context ctx, Job job, List<Replica> replicas, Consensus.Impossible impossible) {
        var params = ctx.params();
        var verdicts = new TreeMap<Integer, Replica.Verdict>();
        var groups = new TreeMap<String, List<Replica>>();
        for (var replica : impossible.revealed()) {
            verdicts.put(replica.index(), Replica.Verdict.UNDECIDED);
            groups.computeIfAbsent(replica.digest(), d -> new ArrayList<>()).add(replica);
        }
        boolean windowClosed = ctx.now() > revealDeadline(ctx, job, active(replicas));
        for (var replica : impossible.silent()) {
            verdicts.put(replica.index(), replica.status() == Replica.Status.COMMITTED && windowClosed
                    ? Replica.Verdict.NO_SHOW : Replica.Verdict.UNDECIDED);
        }
        // Independent replicas that agree with each other did honest work even below the quorum: pay them.
        var claims = new ArrayList<Settlement.Claim>();
        for (var group : groups.values()) {
            if (group.size() >= 2) {
                long runtime = Settlement.medianRuntime(group);
                group.forEach(r -> claims.add(new Settlement.Claim(r.nodeId(), r.unitPrice(), runtime)));
            }
        }
        var settlement = Settlement.split(claims, job.microUnits(), escrow(ctx, job.jobId()), params.feeBasisPoints());
        return finish(ctx, job, replicas, Job.Status.FAILED, verdicts, settlement, null, 0,
                "NO_CONSENSUS: no result can reach quorum " + job.verification().quorum());
    }

    /**
     * Ends a job: judges its replicas (slashing dissenters and no-shows, updating reputation), frees their
     * slots, splits the escrow and records the outcome.
     */
    private Job finish(Context ctx, Job job, List<Replica> replicas, Job.Status status,
                       Map<Integer, Replica.Verdict> verdicts, Settlement settlement, String digest, long runtime,
                       String reason) {
        long now = ctx.now();
        var reputation = new ReputationStore(ctx.state());
        var slashed = new TreeMap<String, Long>();
        for (var replica : replicas) {
            var verdict = verdicts.get(replica.index());
            if (verdict == null || replica.status() == Replica.Status.TIMED_OUT) {
                continue;
            }
            ctx.state().put(Keys.replica(job.jobId(), replica.index()), replica.judged(verdict));
            market.release(ctx, replica);
            if (verdict == Replica.Verdict.DISSENTED || verdict == Replica.Verdict.NO_SHOW) {
                slashed.merge(replica.nodeId(), market.slash(ctx, replica.offerId(), now), Long::sum);
            }
            if (status != Job.Status.CANCELLED) {
                reputation.add(replica.nodeOrg(), replica.nodeId(), Reputation.of(verdict));
            }
        }
        settlement.payments().forEach((node, amount) -> ctx.balances().credit(node, amount));
        ctx.balances().credit(Keys.TREASURY, settlement.fee());
        ctx.balances().credit(job.clientId(), settlement.refund());
        ctx.state().delete(Keys.escrow(job.jobId()));
        var outcome = new Job.Outcome(digest, runtime, reason, settlement.payments(), settlement.fee(),
                settlement.refund(), slashed);
        var finished = job.finished(status, outcome, now);
        save(ctx, job, finished);
        var type = switch (status) {
            case COMPLETED -> "JobCompleted";
            case CANCELLED -> "JobCancelled";
            default -> "JobFailed";
        };
        ctx.state().emit(type, ContractEvent.of(type).withJobs(List.of(job.jobId()), Map.of(job.jobId(), status.name()))
                .withResourceClass(job.resourceClass()));
        return finished;
    }

    private static Map<Integer, Replica.Verdict> undecided(List<Replica> replicas) {
        var verdicts = new LinkedHashMap<Integer, Replica.Verdict>();
        replicas.forEach(r -> verdicts.put(r.index(), Replica.Verdict.UNDECIDED));
        return verdicts;
    }

    /** Writes a job and keeps its indexes (client, status, queue) in line with it. */
    private void save(Context ctx, Job old, Job job) {
        var state = ctx.state();
        state.put(Keys.job(job.jobId()), job);
        if (old == null) {
            state.putMarker(Keys.jobByClient(job.clientId(), job.jobId()));
            state.putMarker(Keys.queued(job.resourceClass(), job.createdAt(), job.jobId()));
        } else if (old.status() != job.status()) {
            state.delete(Keys.jobByStatus(old.status().name(), job.jobId()));
            if (old.status() == Job.Status.QUEUED) {
                state.delete(Keys.queued(job.resourceClass(), job.createdAt(), job.jobId()));
            }
        }
        if (old == null || old.status() != job.status()) {
            state.putMarker(Keys.jobByStatus(job.status().name(), job.jobId()));
        }
    }

    private Job running(Context ctx, String jobId) {
        var job = find(ctx, jobId);
        if (job.status() != Job.Status.RUNNING) {
            throw Rejection.wrongState("job " + jobId + " is " + job.status() + ", not RUNNING");
        }
        return job;
    }

    private Replica ownReplica(Context ctx, Job job, int index, Caller caller) {
        Rejection.requireRange("replica", index, 0, job.verification().replicas() - 1);
        var replica = ctx.state().get(Keys.replica(job.jobId(), index), Replica.class)
                .orElseThrow(() -> Rejection.notFound("replica", job.jobId() + "#" + index));
        if (!replica.nodeId().equals(caller.accountId())) {
            throw Rejection.forbidden("replica " + index + " of job " + job.jobId() + " is assigned to "
                    + replica.nodeId() + ", not " + caller.accountId());
        }
        return replica;
    }

    private static List<Replica> replicas(Context ctx, Job job) {
        var list = new ArrayList<Replica>();
        for (int index = 0; index < job.verification().replicas(); index++) {
            list.add(ctx.state().get(Keys.replica(job.jobId(), index), Replica.class).orElseThrow(
                    () -> new IllegalStateException("job " + job.jobId() + " lacks a replica")));
        }
        return list;
    }

    private static List<Replica> active(List<Replica> replicas) {
        return replicas.stream().filter(r -> r.status() != Replica.Status.TIMED_OUT).toList();
    }

    private static boolean revealOpen(Job job, List<Replica> active) {
        return job.phase() == Job.Phase.REVEAL
                || active.stream().allMatch(r -> r.status() == Replica.Status.COMMITTED || r.status() == Replica.Status.REVEALED);
    }

    private static long revealDeadline(Context ctx, Job job, List<Replica> active) {
        if (job.phase() == Job.Phase.REVEAL) {
            return job.revealDeadline();
        }
        long lastCommitDeadline = active.stream().mapToLong(Replica::commitDeadline).max().orElse(ctx.now());
        return lastCommitDeadline + ctx.params().revealWindowSeconds();
    }

    private static long escrow(Context ctx, String jobId) {
        return ctx.state().getRaw(Keys.escrow(jobId))
                .map(bytes -> Long.parseLong(LedgerState.utf8(bytes))).orElse(0L);
    }

    private static void writeEscrow(Context ctx, String jobId, long amount) {
        ctx.state().putRaw(Keys.escrow(jobId), Long.toString(amount).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Free slots of a job's class, cheapest first, read lazily and only up to the first slot above the
     * job's price limit. It remembers whether it saw such a slot, to tell "too expensive" from "full".
     */
    private static final class AffordableSlots implements Iterable<Replica.Slot> {
        private final LedgerState state;
        private final Job job;
        boolean sawTooExpensive;

        AffordableSlots(LedgerState state, Job job) {
            this.state = state;
            this.job = job;
        }

        @Override
        public Iterator<Replica.Slot> iterator() {
            var source = state.scan(Keys.freeSlotsOfClass(job.resourceClass()),
                    entry -> MarketService.readSlot(entry.getValue())).iterator();
            return new Iterator<>() {
                private Replica.Slot next;
                private boolean done;

                @Override
                public boolean hasNext() {
                    if (next == null && !done && source.hasNext()) {
                        var slot = source.next();
                        if (slot.unitPrice() > job.maxUnitPrice()) {
                            sawTooExpensive = true;
                            done = true;
                        } else {
                            next = slot;
                        }
                    }
                    return next != null;
                }

                @Override
                public Replica.Slot next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    var result = next;
                    next = null;
                    return result;
                }
            };
        }
    }
}
