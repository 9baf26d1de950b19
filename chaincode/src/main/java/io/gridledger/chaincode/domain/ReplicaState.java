package io.gridledger.chaincode.domain;

/**
 * A replica as its job's decision sees it: the assignment, and the commitment and reveal of that assignment's
 * node if they exist ({@code null} otherwise).
 */
public record ReplicaState(Replica replica, ReplicaCommit commit, ReplicaReveal reveal) {

    public ReplicaState {
        if (commit != null && commit.attempt() != replica.attempt()) {
            commit = null;
        }
        if (reveal != null && (commit == null || reveal.attempt() != replica.attempt())) {
            reveal = null;
        }
    }

    public boolean isActive() {
        return replica.isActive();
    }

    public boolean committed() {
        return commit != null;
    }

    public boolean revealed() {
        return reveal != null;
    }

    public String nodeId() {
        return replica.nodeId();
    }

    public String org() {
        return replica.nodeOrg();
    }

    public int index() {
        return replica.index();
    }

    /**
     * Seconds of work the ledger saw: from assignment to commit, capped by what the node reported (once
     * revealed) and by the job's timeout. What the replica can be paid for, at most.
     */
    public long observedSeconds(long timeoutSeconds) {
        if (commit == null) {
            return 0;
        }
        long seen = Math.max(0, commit.committedAt() - replica.assignedAt());
        long capped = Math.min(seen, timeoutSeconds);
        return reveal == null ? capped : Math.min(capped, reveal.runtimeSeconds());
    }
}
