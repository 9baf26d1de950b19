package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The settlement terms a job was submitted under (copied from the parameters then): every later step of the job uses
 * these. A deadline counts as passed only when it passed by more than {@code clockToleranceSeconds}.
 */
@Serdeable
public record Terms(long paramsVersion, int feeBasisPoints, int slashBasisPoints, long commitGraceSeconds,
                    long revealWindowSeconds, long clockToleranceSeconds) {
}
