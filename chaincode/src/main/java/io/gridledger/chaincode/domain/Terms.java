package io.gridledger.chaincode.domain;

/**
 * The settlement terms a job was submitted under, copied from the consortium parameters into the job. Every
 * later step of the job (deadlines, payment, fee, slashing) uses these, never the current parameters, so a
 * governance change while the job runs can neither make its settlement impossible nor different from what
 * was escrowed.
 *
 * @param paramsVersion         the parameter version the terms come from
 * @param feeBasisPoints        consortium fee on the job's payments
 * @param slashBasisPoints      share of a slot's collateral a wrong or missing result costs
 * @param commitGraceSeconds    time after the timeout within which a replica must commit
 * @param revealWindowSeconds   time after the commit phase within which committed replicas must reveal
 * @param clockToleranceSeconds margin by which a deadline must have passed before others may act on it
 */
public record Terms(long paramsVersion, int feeBasisPoints, int slashBasisPoints, long commitGraceSeconds,
                    long revealWindowSeconds, long clockToleranceSeconds) {

    public static Terms of(Params params) {
        return new Terms(params.version(), params.feeBasisPoints(), params.slashBasisPoints(),
                params.commitGraceSeconds(), params.revealWindowSeconds(), params.clockToleranceSeconds());
    }

    /**
     * Whether {@code deadline} has surely passed at a transaction stamped {@code now}: by more than the clock
     * tolerance. A proposal's timestamp can be up to the tolerance ahead of the true time, so a forward-dated
     * transaction can never act on a deadline early.
     */
    public boolean surelyPassed(long deadline, long now) {
        return now - clockToleranceSeconds > deadline;
    }
}
