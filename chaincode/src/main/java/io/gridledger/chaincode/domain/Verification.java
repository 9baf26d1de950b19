package io.gridledger.chaincode.domain;

import static io.gridledger.chaincode.domain.Rejection.require;
import static io.gridledger.chaincode.domain.Rejection.requirePresent;
import static io.gridledger.chaincode.domain.Rejection.requireRange;

/**
 * How a job's result is trusted: one execution, or {@code replicas} independent executions of which
 * {@code quorum} must reveal the same result digest. A quorum must be a strict majority, so two different
 * results can never both reach it.
 *
 * <p>In a request, {@code replicas} and {@code quorum} may be 0 for {@code REPLICATED}: the consortium's
 * defaults apply ({@link #resolve(Params)}).
 */
public record Verification(Mode mode, int replicas, int quorum) {

    public static final int MAX_REPLICAS = 7;

    public enum Mode { SINGLE, REPLICATED }

    public Verification {
        requirePresent("verification.mode", mode);
        requireRange("verification.replicas", replicas, 0, MAX_REPLICAS);
        requireRange("verification.quorum", quorum, 0, MAX_REPLICAS);
        if (mode == Mode.SINGLE) {
            require(replicas <= 1 && quorum <= 1, "verification: SINGLE mode runs exactly one replica with quorum 1");
            replicas = 1;
            quorum = 1;
        } else if (replicas != 0 || quorum != 0) {
            require(replicas >= 2, "verification.replicas must be at least 2 for REPLICATED, got " + replicas);
            require(quorum <= replicas, "verification.quorum " + quorum + " exceeds replicas " + replicas);
            require(2 * quorum > replicas,
                    "verification.quorum must be a strict majority of replicas (" + (replicas / 2 + 1) + ".." + replicas + "), got " + quorum);
        }
    }

    public static Verification single() {
        return new Verification(Mode.SINGLE, 1, 1);
    }

    public static Verification replicated(int replicas, int quorum) {
        return new Verification(Mode.REPLICATED, replicas, quorum);
    }

    /** Fills in the consortium defaults for an unspecified replication. */
    public Verification resolve(Params params) {
        if (mode == Mode.REPLICATED && replicas == 0) {
            return new Verification(mode, Math.max(2, params.defaultReplicas()),
                    params.defaultReplicas() < 2 ? 2 : params.defaultQuorum());
        }
        return this;
    }
}
