package io.gridledger.chaincode.app.jobs;

import io.gridledger.chaincode.app.Context;
import io.gridledger.chaincode.app.ContractEvent;
import io.gridledger.chaincode.app.MarketService;
import io.gridledger.chaincode.app.ReputationStore;
import io.gridledger.chaincode.domain.Ids;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.JobMatcher;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.domain.ReplicaState;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Matching: places queued jobs (and tie-breakers of split jobs) on the cheapest eligible offers of distinct orgs,
 * and returns the slots of jobs that ended to the market.
 *
 * <p>Matching is the only transaction that reads the market, and with slot returns the only one that writes it
 * (besides an offer's owner), so it never collides with the job lifecycle: a settlement frees nothing itself; the
 * gateway that sees the job's end event passes the job to its next {@code MatchJobs} (or {@code ReleaseSlots}),
 * which reads only that finished, immutable job. Racing matchers are harmless: jobs no longer waiting are skipped
 * and returning a slot twice does nothing.
 */
public final class MatchingService {

    /** Most jobs one matching or release transaction handles. */
    public static final int MAX_JOBS = 100;

    private final JobStore jobs;
    private final MarketService market;

    public MatchingService(JobStore jobs, MarketService market) {
        this.jobs = jobs;
        this.market = market;
    }

    /** What one matching run did. */
    public record MatchReport(List<ContractEvent.Assignment> assignments, Map<String, Job.Unmatched> unmatched,
                              List<String> skipped, List<String> released) {
    }

    /**
     * Returns the slots of {@code releaseJobIds} that ended, then matches {@code jobIds} (queued jobs, or jobs
     * waiting for tie-breakers); jobs with nothing to match are skipped.
     */
    public MatchReport match(Context ctx, List<String> jobIds, List<String> releaseJobIds) {
        ctx.caller().requireMember(ctx.params(), "MatchJobs");
        requireIds("jobIds", jobIds, 0);
        requireIds("releaseJobIds", releaseJobIds, 0);
        Rejection.require(!jobIds.isEmpty() || !releaseJobIds.isEmpty(), "MatchJobs needs job ids to match or to release");
        var released = releaseAll(ctx, releaseJobIds);
        var assignments = new ArrayList<ContractEvent.Assignment>();
        var unmatched = new TreeMap<String, Job.Unmatched>();
        var skipped = new ArrayList<String>();
        var statuses = new TreeMap<String, String>();
        for (var id : jobIds) {
            var job = jobs.get(ctx, id).orElse(null);
            if (job == null || !job.awaitsMatching()) {
                skipped.add(id);
                continue;
            }
            var placed = place(ctx, job);
            if (placed.isEmpty()) {
                unmatched.put(id, jobs.find(ctx, id).unmatched());
            } else {
                assignments.addAll(placed);
                statuses.put(id, Job.Status.RUNNING.name());
            }
        }
        ctx.state().emit("JobsMatched", ContractEvent.of("JobsMatched")
                .withJobs(List.copyOf(statuses.keySet()), statuses).withAssignments(assignments).withReleased(released));
        return new MatchReport(assignments, unmatched, skipped, released);
    }

    /** Matches up to {@code limit} jobs awaiting matching in a resource class, oldest first. */
    public MatchReport matchQueue(Context ctx, String resourceClass, int limit, List<String> releaseJobIds) {
        Rejection.requireRange("limit", limit, 1, MAX_JOBS);
        Rejection.require(resourceClass != null && !resourceClass.isBlank(), "resourceClass is required");
        var ids = new ArrayList<String>();
        for (var key : ctx.state().scan(Keys.queueOf(resourceClass), entry -> entry.getKey())) {
            ids.add(Keys.attributes(key).get(2));
            if (ids.size() == limit) {
                break;
            }
        }
        if (ids.isEmpty() && releaseJobIds.isEmpty()) {
            ctx.caller().requireMember(ctx.params(), "MatchQueue");
            ctx.state().emit("JobsMatched", ContractEvent.of("JobsMatched"));
            return new MatchReport(List.of(), Map.of(), List.of(), List.of());
        }
        return match(ctx, ids, releaseJobIds);
    }

    /** Returns to the market the slots of the given jobs that they no longer need. */
    public MatchReport release(Context ctx, List<String> jobIds) {
        ctx.caller().requireMember(ctx.params(), "ReleaseSlots");
        requireIds("jobIds", jobIds, 1);
        var released = releaseAll(ctx, jobIds);
        ctx.state().emit("SlotsReleased", ContractEvent.of("SlotsReleased").withReleased(released));
        return new MatchReport(List.of(), Map.of(), List.of(), released);
    }

    /**
     * Places {@code needed} replicas of {@code job} on offers of orgs other than {@code usedOrgs}, avoiding
     * {@code unavailable} nodes, for expiry's reassignments: the new replicas take the given indexes.
     */
    List<Replica> reassign(Context ctx, Job job, List<Replica> late, List<ReplicaState> others) {
        var unavailable = new HashSet<>(job.excludedNodes());
        var usedOrgs = new HashSet<String>();
        for (var other : others) {
            unavailable.add(other.nodeId());
            usedOrgs.add(other.org());
        }
        late.forEach(r -> unavailable.add(r.nodeId()));
        var result = choose(ctx, job, late.size(), unavailable, usedOrgs);
        if (!(result instanceof JobMatcher.Matched matched)) {
            return List.of();
        }
        var replacements = new ArrayList<Replica>();
        for (int i = 0; i < late.size(); i++) {
            var old = late.get(i);
            replacements.add(assign(ctx, job, old.index(), old.attempt() + 1, old.round(), matched.offers().get(i)));
        }
        return replacements;
    }

    // ---------------------------------------------------------------------------------------------------

    private List<ContractEvent.Assignment> place(Context ctx, Job job) {
        long now = ctx.now();
        boolean tieBreak = job.status() == Job.Status.RUNNING;
        int needed = tieBreak ? job.tieBreakers() : job.verification().replicas();
        var existing = tieBreak ? jobs.states(ctx, job) : List.<ReplicaState>of();
        JobMatcher.Result result;
        if (!job.canStillRun(now)) {
            result = new JobMatcher.Unmatched(Job.Unmatched.Reason.DEADLINE, "too late to run " + job.spec().timeoutSeconds()
                    + " s plus the commit grace before the deadline " + job.spec().deadline(), 0);
        } else {
            var unavailable = new HashSet<>(job.excludedNodes());
            var usedOrgs = new HashSet<String>();
            for (var replica : existing) {
                unavailable.add(replica.nodeId());
                usedOrgs.add(replica.org());
            }
            result = choose(ctx, job, needed, unavailable, usedOrgs);
        }
        if (result instanceof JobMatcher.Unmatched none) {
            var why = new Job.Unmatched(none.reason(), none.detail(), job.clock(now));
            var previous = job.unmatched();
            if (previous == null || previous.reason() != why.reason() || !previous.detail().equals(why.detail())) {
                jobs.save(ctx, job, job.unmatched(why, now));
            }
            return List.of();
        }
        var matched = (JobMatcher.Matched) result;
        int round = tieBreak ? 1 : 0;
        int firstIndex = tieBreak ? job.replicaCount() : 0;
        var holds = new ArrayList<Job.Hold>();
        var placed = new ArrayList<ReplicaState>(existing);
        for (int i = 0; i < matched.offers().size(); i++) {
            var replica = assign(ctx, job, firstIndex + i, 1, round, matched.offers().get(i));
            holds.add(new Job.Hold(replica.offerId(), replica.slot(), replica.index(), replica.attempt(), false));
            placed.add(new ReplicaState(replica, null, null));
        }
        var running = tieBreak ? job.tieBreakersAssigned(holds, matched.sharedOrg(), now)
                : job.assigned(holds, matched.sharedOrg(), now);
        jobs.save(ctx, job, running);
        jobs.protect(ctx, running, placed);
        var assignments = new ArrayList<ContractEvent.Assignment>();
        for (var replica : placed.subList(existing.size(), placed.size())) {
            assignments.add(assignment(replica.replica(), running.sharedOrg()));
        }
        return assignments;
    }

    static ContractEvent.Assignment assignment(Replica replica, boolean sharedOrg) {
        return new ContractEvent.Assignment(replica.jobId(), replica.index(), replica.attempt(), replica.round(),
                replica.nodeId(), replica.offerId(), replica.commitDeadline(), sharedOrg);
    }

    private JobMatcher.Result choose(Context ctx, Job job, int needed, Set<String> unavailable, Set<String> usedOrgs) {
        var params = ctx.params();
        var candidates = new AffordableOffers(ctx.state(), job);
        var reputation = new ReputationStore(ctx.state());
        long cutoff = ctx.now() - 2 * params.clockToleranceSeconds();
        var result = JobMatcher.match(job, needed, unavailable, usedOrgs, candidates,
                offer -> reputation.forMatching(offer.org(), offer.nodeId(), cutoff).score(params),
                params.matchScanLimit());
        if (result instanceof JobMatcher.Unmatched none && none.scanned() == 0) {
            return explainEmptyMarket(ctx, job, candidates.sawTooExpensive);
        }
        return result;
    }

    private Replica assign(Context ctx, Job job, int index, int attempt, int round, Replica.Candidate offer) {
        int slot = market.occupy(ctx, offer, Job.Hold.tag(job.jobId(), index, attempt));
        var replica = Replica.assign(job, index, attempt, round, offer, slot, job.clock(ctx.now()));
        jobs.putReplica(ctx, replica);
        ctx.state().putMarker(Keys.jobByNode(offer.nodeId(), job.jobId()));
        return replica;
    }

    private List<String> releaseAll(Context ctx, List<String> jobIds) {
        var released = new ArrayList<String>();
        for (var id : jobIds) {
            var job = jobs.get(ctx, id).orElse(null);
            if (job == null) {
                continue;
            }
            boolean any = false;
            for (var hold : job.holds()) {
                if ((job.isFinished() || hold.ended())
                        && market.release(ctx, hold.offerId(), hold.slot(), Job.Hold.tag(id, hold.replica(), hold.attempt()))) {
                    any = true;
                }
            }
            if (any) {
                released.add(id);
            }
        }
        return released;
    }

    private JobMatcher.Unmatched explainEmptyMarket(Context ctx, Job job, boolean sawTooExpensive) {
        if (sawTooExpensive) {
            return new JobMatcher.Unmatched(Job.Unmatched.Reason.PRICE, "every offer of class " + job.resourceClass()
                    + " with a free slot costs more than maxUnitPrice " + job.spec().maxUnitPrice(), 0);
        }
        boolean anyOffer = ctx.state().scan(Keys.offersOfClass(job.resourceClass()), entry -> entry).iterator().hasNext();
        if (anyOffer) {
            return new JobMatcher.Unmatched(Job.Unmatched.Reason.CAPACITY,
                    "every offer of class " + job.resourceClass() + " is busy or paused", 0);
        }
        return new JobMatcher.Unmatched(Job.Unmatched.Reason.RESOURCES,
                "no offer of class " + job.resourceClass() + " (architecture/GPU model) exists", 0);
    }

    private static void requireIds(String field, List<String> ids, int min) {
        Rejection.require(ids.size() >= min && ids.size() <= MAX_JOBS, field + " takes " + min + " to " + MAX_JOBS + " job ids");
        var unique = new TreeSet<String>();
        for (var id : ids) {
            Ids.requireAssetId(field, id);
            Rejection.require(unique.add(id), field + ": job id " + id + " is listed twice");
        }
    }

    /**
     * Offers of a job's class with a free slot, cheapest first, read lazily and only up to the first one above the
     * job's price limit. It remembers whether it saw such an offer, to tell "too expensive" from "full".
     */
    private static final class AffordableOffers implements Iterable<Replica.Candidate> {
        private final LedgerState state;
        private final Job job;
        boolean sawTooExpensive;

        AffordableOffers(LedgerState state, Job job) {
            this.state = state;
            this.job = job;
        }

        @Override
        public Iterator<Replica.Candidate> iterator() {
            var source = state.scan(Keys.marketOf(job.resourceClass()),
                    entry -> MarketService.readCandidate(entry.getValue())).iterator();
            return new Iterator<>() {
                private Replica.Candidate next;
                private boolean done;

                @Override
                public boolean hasNext() {
                    if (next == null && !done && source.hasNext()) {
                        var offer = source.next();
                        if (offer.unitPrice() > job.spec().maxUnitPrice()) {
                            sawTooExpensive = true;
                            done = true;
                        } else {
                            next = offer;
                        }
                    }
                    return next != null;
                }

                @Override
                public Replica.Candidate next() {
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
