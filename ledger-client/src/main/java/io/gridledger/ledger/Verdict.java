package io.gridledger.ledger;

/** How a replica's work was judged when its job ended. */
public enum Verdict { AGREED, DISSENTED, NO_SHOW, DISPUTED, UNDECIDED }
