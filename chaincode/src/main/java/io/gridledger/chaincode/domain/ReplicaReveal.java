package io.gridledger.chaincode.domain;

/**
 * A replica's opened commitment: the result fingerprint it committed to and the runtime it reports. Its own
 * key, so reveals of one job never touch each other.
 *
 * @param fingerprint    the result fingerprint ({@link Commitments#fingerprint})
 * @param runtimeSeconds reported runtime, capped by the job's timeout; payment is further capped by the
 *                       time the ledger saw between assignment and commit
 */
public record ReplicaReveal(String jobId, int index, int attempt, String nodeId, String fingerprint,
                            long runtimeSeconds, long revealedAt) {

    /**
     * Opens {@code commit}: {@code result} and {@code salt} must hash to it. A replica of the first round reveals the
     * result fingerprint; a tie-breaker reveals the digest itself, from which the fingerprint is computed, because the
     * first round's fingerprints are public when it runs and a fingerprint alone could be copied.
     */
    public static ReplicaReveal open(Replica replica, ReplicaCommit commit, String result, String saltHex,
                                     long runtime, long timeoutSeconds, long now) {
        Ids.requireSha256(replica.round() == 0 ? "fingerprint" : "digest", result);
        Rejection.require(Ids.isHex(saltHex) && saltHex.length() >= 32 && saltHex.length() <= 128,
                "salt must be 16 to 64 random bytes as lowercase hex");
        Rejection.requireRange("runtimeSeconds", runtime, 0, JobSpec.MAX_TIMEOUT_SECONDS);
        var fingerprint = replica.round() == 0 ? result : Commitments.fingerprint(replica.jobId(), result);
        var expected = Commitments.commitment(replica.jobId(), replica.index(), replica.nodeId(), fingerprint, saltHex);
        if (!expected.equals(commit.commitment())) {
            throw new Rejection(ErrorCode.COMMITMENT_MISMATCH, (replica.round() == 0 ? "fingerprint" : "digest")
                    + " and salt do not open the commitment of replica " + replica.index() + " of job "
                    + replica.jobId() + " by " + replica.nodeId());
        }
        return new ReplicaReveal(replica.jobId(), replica.index(), replica.attempt(), replica.nodeId(), fingerprint,
                Math.min(runtime, timeoutSeconds), Math.max(now, commit.committedAt()));
    }
}
