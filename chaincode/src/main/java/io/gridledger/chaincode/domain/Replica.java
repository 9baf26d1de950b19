package io.gridledger.chaincode.domain;

/**
 * One replica of a job: which node runs it, under which price, and its commitment and reveal.
 * One ledger key per replica, so parallel providers never write the same key.
 *
 * @param attempt        1 for the first assignment, incremented on each reassignment after a timeout
 * @param unitPrice      the offer's price when assigned; later price changes do not affect it
 * @param commitDeadline epoch second by which the node must commit ({@code assignedAt + timeout + grace})
 */
public record Replica(String jobId, int index, int attempt, String nodeId, String nodeOrg, String offerId, int slot,
                      long unitPrice, long assignedAt, long commitDeadline, Status status, String commitment,
                      String digest, long runtimeSeconds, Verdict verdict) {

    public enum Status { ASSIGNED, COMMITTED, REVEALED, TIMED_OUT, RELEASED }

    /** What the replica's work was judged to be when its job ended. */
    public enum Verdict { AGREED, DISSENTED, NO_SHOW, UNDECIDED }

    public static Replica assign(String jobId, int index, int attempt, Slot slot, Job job, Params params, long now) {
        return new Replica(jobId, index, attempt, slot.nodeId(), slot.org(), slot.offerId(), slot.slot(),
                slot.unitPrice(), now, now + job.timeoutSeconds() + params.commitGraceSeconds(), Status.ASSIGNED,
                null, null, 0, null);
    }

    /** Records the commitment {@code H(digest ‖ salt)}; only before the commit deadline. */
    public Replica commit(String commitmentHex, long now) {
        if (status != Status.ASSIGNED) {
            throw Rejection.wrongState("replica " + index + " of job " + jobId + " is " + status + "; it can commit only once, while ASSIGNED");
        }
        if (now > commitDeadline) {
            throw new Rejection(ErrorCode.DEADLINE_PASSED,
                    "commit deadline " + commitDeadline + " of replica " + index + " of job " + jobId + " has passed");
        }
        Ids.requireSha256("commitment", commitmentHex);
        return new Replica(jobId, index, attempt, nodeId, nodeOrg, offerId, slot, unitPrice, assignedAt,
                commitDeadline, Status.COMMITTED, commitmentHex, null, 0, null);
    }

    /** Opens the commitment; the digest and salt must hash to it. */
    public Replica reveal(String digestHex, String saltHex, long runtime, long timeoutSeconds) {
        if (status != Status.COMMITTED) {
            throw Rejection.wrongState("replica " + index + " of job " + jobId + " is " + status + "; only a COMMITTED replica reveals");
        }
        Ids.requireSha256("digest", digestHex);
        Rejection.require(Ids.isHex(saltHex) && saltHex.length() >= 32 && saltHex.length() <= 128,
                "salt must be 16 to 64 random bytes as lowercase hex");
        Rejection.requireRange("runtimeSeconds", runtime, 0, JobSpec.MAX_TIMEOUT_SECONDS);
        if (!Commitments.commitment(digestHex, saltHex).equals(commitment)) {
            throw new Rejection(ErrorCode.COMMITMENT_MISMATCH,
                    "digest and salt do not hash to the commitment of replica " + index + " of job " + jobId);
        }
        return new Replica(jobId, index, attempt, nodeId, nodeOrg, offerId, slot, unitPrice, assignedAt,
                commitDeadline, Status.REVEALED, commitment, digestHex, Math.min(runtime, timeoutSeconds), null);
    }

    public Replica timedOut() {
        return new Replica(jobId, index, attempt, nodeId, nodeOrg, offerId, slot, unitPrice, assignedAt,
                commitDeadline, Status.TIMED_OUT, commitment, digest, runtimeSeconds, Verdict.NO_SHOW);
    }

    /** The replica's final verdict once its job has ended. */
    public Replica judged(Verdict judgement) {
        var finalStatus = status == Status.REVEALED ? Status.REVEALED : Status.RELEASED;
        return new Replica(jobId, index, attempt, nodeId, nodeOrg, offerId, slot, unitPrice, assignedAt,
                commitDeadline, finalStatus, commitment, digest, runtimeSeconds, judgement);
    }

    /** True while the replica holds a slot of its offer. */
    public boolean holdsSlot() {
        return status == Status.ASSIGNED || status == Status.COMMITTED || status == Status.REVEALED && verdict == null;
    }

    /**
     * A free slot of an offer, as the market index stores it: enough to match and assign without reading
     * the offer record.
     */
    public record Slot(String offerId, int slot, String nodeId, String org, long unitPrice, Resources resources) {
    }
}
