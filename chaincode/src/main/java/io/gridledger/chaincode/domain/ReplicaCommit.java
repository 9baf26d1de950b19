package io.gridledger.chaincode.domain;

/**
 * A replica's commitment ({@link Commitments#commitment}), written once by the assigned node. Its own key,
 * so committing never touches another replica's or the job's record.
 *
 * @param committedAt transaction time of the commit: the end of the runtime the ledger saw
 */
public record ReplicaCommit(String jobId, int index, int attempt, String nodeId, String commitment, long committedAt) {

    /** Records {@code commitment} for {@code replica}; only its node, only while the commit deadline holds. */
    public static ReplicaCommit of(Replica replica, String commitment, long now) {
        if (!replica.isActive()) {
            throw Rejection.wrongState("replica " + replica.index() + " of job " + replica.jobId()
                    + " timed out; it can no longer commit");
        }
        if (now > replica.commitDeadline()) {
            throw new Rejection(ErrorCode.DEADLINE_PASSED, "commit deadline " + replica.commitDeadline()
                    + " of replica " + replica.index() + " of job " + replica.jobId() + " has passed");
        }
        Ids.requireSha256("commitment", commitment);
        return new ReplicaCommit(replica.jobId(), replica.index(), replica.attempt(), replica.nodeId(), commitment,
                Math.max(now, replica.assignedAt()));
    }
}
