package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The consortium's parameters, as the ledger holds them ({@code GetParameters}) and as genesis or governance
 * proposals carry them ({@code version} absent there). Field meanings: chaincode/README.md and {@code Params}.
 */
@Serdeable
public record Parameters(List<String> members, @Nullable Long version, int feeBasisPoints, long minStakePerSlot,
                         int slashBasisPoints, int defaultReplicas, int defaultQuorum, long commitGraceSeconds,
                         long revealWindowSeconds, int matchScanLimit, long clockToleranceSeconds,
                         long reputationUnitCredits, int reputationCapPerOrg, ResourceUnits units) {

    /** Weights that turn resources into resource units, in micro-units per unit of each resource. */
    @Serdeable
    public record ResourceUnits(long microPerMillicore, long microPerMemoryMiB, long microPerGpu, long microPerStorageMiB) {
    }

    /** The same parameters without a version: what a governance proposal of them carries. */
    public Parameters withoutVersion() {
        return new Parameters(members, null, feeBasisPoints, minStakePerSlot, slashBasisPoints, defaultReplicas,
                defaultQuorum, commitGraceSeconds, revealWindowSeconds, matchScanLimit, clockToleranceSeconds,
                reputationUnitCredits, reputationCapPerOrg, units);
    }
}
