package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * How a job's result is trusted: one execution, or {@code replicas} executions on distinct orgs of which
 * {@code quorum} must agree. Zero replicas and quorum with {@code REPLICATED} take the consortium's defaults.
 *
 * @param maxReplicas     replicas including tie-breakers (default replicas + quorum − 1)
 * @param sameOrgReplicas whether replicas may share an org when the market has no other
 */
@Serdeable
public record Verification(Mode mode, int replicas, int quorum, @Nullable Integer maxReplicas,
                           @Nullable Boolean sameOrgReplicas) {

    public enum Mode { SINGLE, REPLICATED }

    public static Verification replicated(int replicas, int quorum) {
        return new Verification(Mode.REPLICATED, replicas, quorum, null, null);
    }
}
