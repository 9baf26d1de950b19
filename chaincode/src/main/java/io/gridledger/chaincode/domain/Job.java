package io.gridledger.chaincode.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A job contract as recorded on the ledger: the client's spec, the escrowed budget, the terms it was submitted
 * under and where the job is in its life. Replicas, their commitments and their reveals are separate keys, so
 * providers committing and revealing in parallel never write the same key; the job record changes only when
 * the job moves from one phase to another.
 *
 * <pre>
 * QUEUED ──match──▶ RUNNING(COMMIT) ──all committed / late ones timed out──▶ RUNNING(REVEAL) ──settle──▶ COMPLETED
 *    │                    │ expiry: reassign, or FAILED                       │ split: TIEBREAK ──match──▶ COMMIT (round 1)
 *    │                    │                                                  │ no quorum possible ▶ FAILED
 *    └──cancel──▶ CANCELLED ◀──cancel──┘
 * </pre>
 *
 * <p>Times never go backwards: each transition is stamped with the later of the transaction's time and the job's
 * last recorded time ({@link #clock}).
 *
 * @param spec          what the client submitted, with the verification it runs under
 * @param microUnits    µRU of one replica's resources under the consortium's weights at submission
 * @param escrowed      what the client paid into escrow: every possible replica at the maximum, plus the fee
 * @param terms         settlement terms fixed at submission
 * @param round         0 for the initial replicas, 1 once tie-breakers were added
 * @param replicaCount  replica indexes assigned so far (initial replicas plus tie-breakers)
 * @param tieBreakers   tie-breaking replicas the job is waiting to have matched (phase TIEBREAK)
 * @param revealDeadline end of the reveal window, once the commit phase was closed by expiry
 * @param excludedNodes nodes that may not serve the job again (they timed out)
 * @param holds         every slot the job has held, for returning them to the market
 * @param sharedOrg     whether two of its replicas run on nodes of one org (only if the client allowed it)
 */
public record Job(
        String jobId, String clientId, String clientOrg, JobSpec spec, long microUnits, long escrowed, Terms terms,
        Status status, Phase phase, int round, int replicaCount, int tieBreakers, long createdAt, long updatedAt,
        long revealDeadline, List<String> excludedNodes, List<Hold> holds, boolean sharedOrg, Unmatched unmatched,
        Outcome outcome) {

    public enum Status { QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED }

    public enum Phase { NONE, COMMIT, REVEAL, TIEBREAK }

    /** Why a queued job (or its tie-breakers) has not been matched: the constraint that failed and the figures. */
    public record Unmatched(Reason reason, String detail, long checkedAt) {
        public enum Reason { RESOURCES, PRICE, CAPACITY, REPUTATION, DIVERSITY, DEADLINE }
    }

    /**
     * A slot the job holds or held: returned to the market once the job is finished or the replica attempt that
     * held it has ended ({@code ended}, after a timeout).
     */
    public record Hold(String offerId, int slot, int replica, int attempt, boolean ended) {
        public static String tag(String jobId, int replica, int attempt) {
            return jobId + "#" + replica + "#" + attempt;
        }
    }

    /**
     * How a finished job ended. {@code fingerprint} and {@code runtimeSeconds} are set on completion.
     *
     * @param verdicts per replica index: how its work was judged
     * @param payments credits paid per provider node
     * @param fee      credits paid to the consortium treasury
     * @param refund   credits returned to the client
     * @param slashed  collateral taken per provider node
     */
    public record Outcome(String fingerprint, long runtimeSeconds, String reason, Map<Integer, Verdict> verdicts,
                          Map<String, Long> payments, long fee, long refund, Map<String, Long> slashed) {
        public Outcome {
            verdicts = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(verdicts));
            payments = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(payments));
            slashed = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(slashed));
        }
    }

    /** Creates a job from a validated spec; {@code escrowed} is what the client's account must cover. */
    public static Job submit(JobSpec spec, String clientId, String clientOrg, Params params, long now) {
        var verification = spec.verification().resolve(params);
        if (verification.countsOrgs() && verification.replicas() > params.members().size()) {
            throw Rejection.invalid("verification: " + verification.replicas() + " replicas need as many member orgs, the "
                    + "consortium has " + params.members().size() + "; lower replicas or set sameOrgReplicas");
        }
        if (spec.deadline() < now + spec.timeoutSeconds() + params.commitGraceSeconds()) {
            throw new Rejection(ErrorCode.INVALID_ARGUMENT, "deadline " + spec.deadline() + " leaves less than timeoutSeconds "
                    + spec.timeoutSeconds() + " plus the commit grace " + params.commitGraceSeconds() + " s from now (" + now + ")");
        }
        long microUnits = params.units().microUnits(spec.resources());
        Rejection.require(microUnits > 0, "resources are worth 0 resource units under the consortium's weights");
        long escrowed = maxCharge(Pricing.cost(spec.maxUnitPrice(), microUnits, spec.timeoutSeconds()),
                verification.maxReplicas(), params.feeBasisPoints());
        return new Job(spec.jobId(), clientId, clientOrg, spec.withVerification(verification), microUnits, escrowed,
                Terms.of(params), Status.QUEUED, Phase.NONE, 0, 0, 0, now, now, 0, List.of(), List.of(), false, null,
                null);
    }

    /** Most a job can cost: every replica it may ever have paid the maximum, plus the fee on that. */
    static long maxCharge(long maxPerReplica, int replicas, int feeBasisPoints) {
        long payments = Math.multiplyExact(maxPerReplica, (long) replicas);
        long total = Math.addExact(payments, Pricing.fee(payments, feeBasisPoints));
        Rejection.require(total <= Params.MAX_CREDITS, "the job's maximum cost " + total + " exceeds the credit range");
        return total;
    }

    public Verification verification() {
        return spec.verification();
    }

    public String resourceClass() {
        return spec.resources().resourceClass();
    }

    public boolean isFinished() {
        return status == Status.COMPLETED || status == Status.FAILED || status == Status.CANCELLED;
    }

    /** Whether matching has work for this job: queued, or waiting for tie-breakers. */
    public boolean awaitsMatching() {
        return status == Status.QUEUED || status == Status.RUNNING && phase == Phase.TIEBREAK;
    }

    /** The time a transition at transaction time {@code now} records: never before the job's last change. */
    public long clock(long now) {
        return Math.max(now, updatedAt);
    }

    /** Whether a replica could still be assigned now and finish by the deadline. */
    public boolean canStillRun(long now) {
        return now + spec.timeoutSeconds() + terms.commitGraceSeconds() <= spec.deadline();
    }

    public Job unmatched(Unmatched why, long now) {
        if (!awaitsMatching()) {
            throw Rejection.wrongState("job " + jobId + " is " + status + "; nothing to match");
        }
        return with(status, phase, round, replicaCount, tieBreakers, clock(now), revealDeadline, excludedNodes, holds,
                sharedOrg, why, outcome);
    }

    /** The initial replicas were placed on {@code placed}: the commit phase starts. */
    public Job assigned(List<Hold> placed, boolean onSharedOrg, long now) {
        requireStatus(Status.QUEUED, "assign");
        return with(Status.RUNNING, Phase.COMMIT, 0, placed.size(), 0, clock(now), 0, excludedNodes,
                concat(holds, placed), onSharedOrg, null, outcome);
    }

    /** The tie-breakers were placed: round 1's commit phase starts. */
    public Job tieBreakersAssigned(List<Hold> placed, boolean onSharedOrg, long now) {
        if (status != Status.RUNNING || phase != Phase.TIEBREAK) {
            throw Rejection.wrongState("job " + jobId + " is not waiting for tie-breakers");
        }
        return with(Status.RUNNING, Phase.COMMIT, 1, replicaCount + placed.size(), 0, clock(now), 0, excludedNodes,
                concat(holds, placed), sharedOrg || onSharedOrg, null, outcome);
    }

    /** The replicas split without a quorum: {@code count} tie-breakers are to be matched. */
    public Job awaitingTieBreakers(int count, long now) {
        if (status != Status.RUNNING || round != 0) {
            throw Rejection.wrongState("job " + jobId + " cannot add tie-breakers");
        }
        return with(Status.RUNNING, Phase.TIEBREAK, round, replicaCount, count, clock(now), 0, excludedNodes, holds,
                sharedOrg, null, outcome);
    }

    /**
     * Late replicas timed out: their nodes may not serve the job again, their slots can go back to the market,
     * and {@code replacements} took over their indexes.
     */
    public Job replaced(List<Replica> late, List<Hold> replacements, long now) {
        var excluded = new TreeSet<>(excludedNodes);
        var updatedHolds = new ArrayList<Hold>();
        for (var hold : holds) {
            boolean ends = late.stream().anyMatch(r -> r.index() == hold.replica() && r.attempt() == hold.attempt());
            updatedHolds.add(ends ? new Hold(hold.offerId(), hold.slot(), hold.replica(), hold.attempt(), true) : hold);
        }
        late.forEach(r -> excluded.add(r.nodeId()));
        updatedHolds.addAll(replacements);
        return with(status, phase, round, replicaCount, tieBreakers, clock(now), revealDeadline, List.copyOf(excluded),
                List.copyOf(updatedHolds), sharedOrg, unmatched, outcome);
    }

    /** Closes the commit phase with the replicas that committed; they have the reveal window to reveal. */
    public Job revealPhase(long now) {
        if (status != Status.RUNNING || phase != Phase.COMMIT) {
            throw Rejection.wrongState("job " + jobId + " is not in its commit phase");
        }
        long at = clock(now);
        return with(Status.RUNNING, Phase.REVEAL, round, replicaCount, tieBreakers, at, at + terms.revealWindowSeconds(),
                excludedNodes, holds, sharedOrg, null, outcome);
    }

    public Job finished(Status finalStatus, Outcome result, long now) {
        if (isFinished()) {
            throw Rejection.wrongState("job " + jobId + " is already " + status);
        }
        return with(finalStatus, Phase.NONE, round, replicaCount, 0, clock(now), revealDeadline, excludedNodes, holds,
                sharedOrg, null, result);
    }

    public void requireStatus(Status expected, String action) {
        if (status != expected) {
            throw Rejection.wrongState("cannot " + action + " job " + jobId + ": it is " + status + ", not " + expected);
        }
    }

    private static List<Hold> concat(List<Hold> a, List<Hold> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private Job with(Status newStatus, Phase newPhase, int newRound, int newReplicaCount, int newTieBreakers, long now,
                     long newRevealDeadline, List<String> excluded, List<Hold> newHolds, boolean newSharedOrg,
                     Unmatched why, Outcome result) {
        return new Job(jobId, clientId, clientOrg, spec, microUnits, escrowed, terms, newStatus, newPhase, newRound,
                newReplicaCount, newTieBreakers, createdAt, now, newRevealDeadline, excluded, newHolds, newSharedOrg,
                why, result);
    }
}
