package io.gridledger.chaincode.domain;

/**
 * The assignment of one replica of a job to a provider node's slot: who runs it, under which price and
 * collateral, and by when it must commit. One ledger key per replica, written only by the transactions that
 * assign or time it out (matching, expiry); the node's commitment and reveal are keys of their own
 * ({@link ReplicaCommit}, {@link ReplicaReveal}), so providers of one job commit and reveal in parallel.
 *
 * @param attempt        1 for the first assignment of this index, +1 on each reassignment after a timeout
 * @param round          0 for the job's initial replicas, 1 for tie-breakers added after a split
 * @param unitPrice      the offer's price when assigned; later price changes do not affect it
 * @param collateral     the slot's share of the offer's stake when assigned: what slashing takes a share of
 * @param assignedAt     transaction time of the assignment: paid runtime is counted from it
 * @param commitDeadline epoch second by which the node must commit ({@code assignedAt + timeout + grace})
 */
public record Replica(String jobId, int index, int attempt, int round, String nodeId, String nodeOrg, String offerId,
                      int slot, long unitPrice, long collateral, long assignedAt, long commitDeadline, Status status) {

    public enum Status { ASSIGNED, TIMED_OUT }

    /** Most times one replica index may be assigned before the job gives up on it. */
    public static final int MAX_ATTEMPTS = 3;

    public static Replica assign(Job job, int index, int attempt, int round, Candidate slot, int slotIndex, long now) {
        return new Replica(job.jobId(), index, attempt, round, slot.nodeId(), slot.org(), slot.offerId(), slotIndex,
                slot.unitPrice(), slot.collateralPerSlot(), now,
                now + job.spec().timeoutSeconds() + job.terms().commitGraceSeconds(), Status.ASSIGNED);
    }

    public Replica timedOut() {
        return new Replica(jobId, index, attempt, round, nodeId, nodeOrg, offerId, slot, unitPrice, collateral,
                assignedAt, commitDeadline, Status.TIMED_OUT);
    }

    public boolean isActive() {
        return status == Status.ASSIGNED;
    }

    /** The tag a held slot carries, naming this replica's attempt: {@code jobId#index#attempt}. */
    public String holdTag() {
        return Job.Hold.tag(jobId, index, attempt);
    }

    /**
     * A free slot's offer as matching sees it (a market entry): enough to choose and assign without reading
     * the offer record.
     *
     * @param slots             the offer's capacity
     * @param collateralPerSlot the offer's stake divided by its slots
     */
    public record Candidate(String offerId, String nodeId, String org, long unitPrice, int slots,
                            long collateralPerSlot, Resources resources) {
    }
}
