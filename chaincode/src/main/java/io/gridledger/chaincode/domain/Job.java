package io.gridledger.chaincode.domain;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A job contract as recorded on the ledger: the client's spec, the escrowed budget and where the job is
 * in its life. Replicas are separate records (one key each) so that providers committing and revealing
 * in parallel never write the same key.
 *
 * <pre>
 * QUEUED ──match──▶ RUNNING(COMMIT) ──all committed / deadline──▶ RUNNING(REVEAL) ──quorum──▶ COMPLETED
 *    │                    │  expiry: reassign or FAILED                 │ no quorum possible ▶ FAILED
 *    └──cancel──▶ CANCELLED ◀──cancel──┘
 * </pre>
 */
public record Job(
        String jobId, String clientId, String clientOrg, String image, List<String> command, Map<String, String> env,
        List<JobSpec.InputRef> inputs, Resources resources, long maxUnitPrice, long timeoutSeconds,
        Verification verification, int minReputation, long deadline,
        long microUnits, long escrowed, Status status, Phase phase, long createdAt, long updatedAt,
        long revealDeadline, List<String> excludedNodes, Unmatched unmatched, Outcome outcome) {

    public enum Status { QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED }

    public enum Phase { NONE, COMMIT, REVEAL }

    /** Why a queued job has not been matched: the constraint that failed and the figures behind it. */
    public record Unmatched(Reason reason, String detail, long checkedAt) {
        public enum Reason { RESOURCES, PRICE, CAPACITY, REPUTATION, DIVERSITY, DEADLINE }
    }

    /**
     * How a finished job ended. {@code digest} and {@code runtimeSeconds} are set on completion.
     *
     * @param payments credits paid per provider node
     * @param fee      credits paid to the consortium treasury
     * @param refund   credits returned to the client
     * @param slashed  stake taken per provider node
     */
    public record Outcome(String digest, long runtimeSeconds, String reason, Map<String, Long> payments, long fee,
                          long refund, Map<String, Long> slashed) {
    }

    /** Creates a job from a validated spec; {@code escrowed} is what the client's account must cover. */
    public static Job submit(JobSpec spec, String clientId, String clientOrg, Params params, long now) {
        var verification = spec.verification().resolve(params);
        if (spec.deadline() < now + spec.timeoutSeconds()) {
            throw new Rejection(ErrorCode.INVALID_ARGUMENT, "deadline " + spec.deadline()
                    + " leaves less than timeoutSeconds " + spec.timeoutSeconds() + " from now (" + now + ")");
        }
        long microUnits = params.units().microUnits(spec.resources());
        Rejection.require(microUnits > 0, "resources are worth 0 resource units under the consortium's weights");
        long escrowed = maxCharge(Pricing.cost(spec.maxUnitPrice(), microUnits, spec.timeoutSeconds()),
                verification.replicas(), params.feeBasisPoints());
        return new Job(spec.jobId(), clientId, clientOrg, spec.image(), spec.command(), spec.env(), spec.inputs(),
                spec.resources(), spec.maxUnitPrice(), spec.timeoutSeconds(), verification, spec.minReputation(),
                spec.deadline(), microUnits, escrowed, Status.QUEUED, Phase.NONE, now, now, 0, List.of(), null, null);
    }

    /** Most a job can cost: every replica paid the maximum, plus the fee on that. */
    static long maxCharge(long maxPerReplica, int replicas, int feeBasisPoints) {
        long payments = Math.multiplyExact(maxPerReplica, (long) replicas);
        long total = Math.addExact(payments, Pricing.fee(payments, feeBasisPoints));
        Rejection.require(total <= Params.MAX_CREDITS, "the job's maximum cost " + total + " exceeds the credit range");
        return total;
    }

    public boolean isFinished() {
        return status == Status.COMPLETED || status == Status.FAILED || status == Status.CANCELLED;
    }

    public String resourceClass() {
        return resources.resourceClass();
    }

    public Job unmatched(Unmatched why, long now) {
        requireStatus(Status.QUEUED, "match");
        return with(Status.QUEUED, Phase.NONE, now, revealDeadline, excludedNodes, why, outcome);
    }

    public Job assigned(long now) {
        requireStatus(Status.QUEUED, "assign");
        return with(Status.RUNNING, Phase.COMMIT, now, 0, excludedNodes, null, outcome);
    }

    /** Records nodes that may not serve this job again (they timed out or were replaced). */
    public Job excluding(List<String> nodes, long now) {
        var all = new TreeSet<>(excludedNodes);
        all.addAll(nodes);
        return with(status, phase, now, revealDeadline, List.copyOf(all), unmatched, outcome);
    }

    public Job revealPhase(long now, Params params) {
        if (status != Status.RUNNING || phase != Phase.COMMIT) {
            throw Rejection.wrongState("job " + jobId + " is not in its commit phase");
        }
        return with(Status.RUNNING, Phase.REVEAL, now, now + params.revealWindowSeconds(), excludedNodes, null, outcome);
    }

    public Job finished(Status finalStatus, Outcome result, long now) {
        if (isFinished()) {
            throw Rejection.wrongState("job " + jobId + " is already " + status);
        }
        return with(finalStatus, Phase.NONE, now, revealDeadline, excludedNodes, null, result);
    }

    public void requireStatus(Status expected, String action) {
        if (status != expected) {
            throw Rejection.wrongState("cannot " + action + " job " + jobId + ": it is " + status + ", not " + expected);
        }
    }

    private Job with(Status newStatus, Phase newPhase, long now, long newRevealDeadline, List<String> excluded,
                     Unmatched why, Outcome result) {
        return new Job(jobId, clientId, clientOrg, image, command, env, inputs, resources, maxUnitPrice,
                timeoutSeconds, verification, minReputation, deadline, microUnits, escrowed, newStatus, newPhase,
                createdAt, now, newRevealDeadline, excluded, why, result);
    }
}
