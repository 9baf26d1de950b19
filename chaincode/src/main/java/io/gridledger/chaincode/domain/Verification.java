package io.gridledger.chaincode.domain;

import static io.gridledger.chaincode.domain.Rejection.require;
import static io.gridledger.chaincode.domain.Rejection.requirePresent;
import static io.gridledger.chaincode.domain.Rejection.requireRange;

/**
 * How a job's result is trusted: one execution, or {@code replicas} independent executions of which
 * {@code quorum} must reveal the same result. A quorum must be a strict majority, so two different results
 * can never both reach it.
 *
 * <p>Independence: replicas go to provider nodes of different orgs, and agreement is counted in orgs (several
 * nodes of one org are one voice). A client may allow replicas on one org ({@code sameOrgReplicas}) when the
 * market lacks other orgs; then nodes count one by one and the job says that it happened.
 *
 * <p>Tie-breaking, as BOINC does: when the replicas split without a quorum, the job adds as many tie-breaking
 * replicas as the quorum still lacks, on other orgs, up to {@code maxReplicas} in all, which the escrow covers.
 *
 * <p>In a request, {@code replicas}, {@code quorum} and {@code maxReplicas} may be 0 for {@code REPLICATED}: the
 * consortium's defaults apply ({@link #resolve(Params)}); {@code maxReplicas} defaults to
 * {@code replicas + quorum − 1}, enough for any split. {@code maxReplicas = replicas} opts out of tie-breaking.
 */
public record Verification(Mode mode, int replicas, int quorum, Integer maxReplicas, Boolean sameOrgReplicas) {

    /** Most replicas a job starts with. */
    public static final int MAX_REPLICAS = 7;
    /** Most replicas a job may have with its tie-breakers. */
    public static final int MAX_TOTAL_REPLICAS = 12;

    public enum Mode { SINGLE, REPLICATED }

    public Verification {
        requirePresent("verification.mode", mode);
        maxReplicas = maxReplicas == null ? 0 : maxReplicas;
        sameOrgReplicas = sameOrgReplicas != null && sameOrgReplicas;
        requireRange("verification.replicas", replicas, 0, MAX_REPLICAS);
        requireRange("verification.quorum", quorum, 0, MAX_REPLICAS);
        requireRange("verification.maxReplicas", maxReplicas, 0, MAX_TOTAL_REPLICAS);
        if (mode == Mode.SINGLE) {
            require(replicas <= 1 && quorum <= 1 && maxReplicas <= 1,
                    "verification: SINGLE mode runs exactly one replica with quorum 1");
            replicas = 1;
            quorum = 1;
            maxReplicas = 1;
        } else if (replicas != 0 || quorum != 0) {
            require(replicas >= 2, "verification.replicas must be at least 2 for REPLICATED, got " + replicas);
            require(quorum <= replicas, "verification.quorum " + quorum + " exceeds replicas " + replicas);
            require(2 * quorum > replicas,
                    "verification.quorum must be a strict majority of replicas (" + (replicas / 2 + 1) + ".." + replicas + "), got " + quorum);
            if (maxReplicas == 0) {
                maxReplicas = Math.min(MAX_TOTAL_REPLICAS, replicas + quorum - 1);
            }
            require(maxReplicas >= replicas,
                    "verification.maxReplicas " + maxReplicas + " is below replicas " + replicas);
        } else {
            require(maxReplicas == 0, "verification.maxReplicas needs replicas and quorum");
        }
    }

    public static Verification single() {
        return new Verification(Mode.SINGLE, 1, 1, 1, false);
    }

    public static Verification replicated(int replicas, int quorum) {
        return new Verification(Mode.REPLICATED, replicas, quorum, 0, false);
    }

    public Verification withMaxReplicas(int max) {
        return new Verification(mode, replicas, quorum, max, sameOrgReplicas);
    }

    public Verification allowingSameOrg() {
        return new Verification(mode, replicas, quorum, maxReplicas, true);
    }

    /** Fills in the consortium defaults for an unspecified replication. */
    public Verification resolve(Params params) {
        if (mode == Mode.REPLICATED && replicas == 0) {
            return new Verification(mode, params.defaultReplicas(), params.defaultQuorum(), 0, sameOrgReplicas);
        }
        return this;
    }

    /** Whether agreement is counted in orgs rather than nodes. */
    public boolean countsOrgs() {
        return !sameOrgReplicas();
    }
}
