package io.gridledger.chaincode.domain;

/** What a replica's work was judged to be when its job ended. */
public enum Verdict {
    /** Revealed the result the quorum agreed on: paid, reputation earned. */
    AGREED,
    /** Revealed a result that contradicted the quorum: unpaid, collateral slashed, reputation lost. */
    DISSENTED,
    /** Missed its commit deadline, or committed and never revealed: unpaid, slashed, reputation lost. */
    NO_SHOW,
    /** Took part in a split no tie-breaker could settle: the disagreement counts against every side. */
    DISPUTED,
    /** The job ended (cancelled, or failed for lack of providers) before the replica's work could be judged. */
    UNDECIDED
}
