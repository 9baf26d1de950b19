package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.ledger.Balances;
import io.gridledger.chaincode.ledger.Caller;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;
import io.gridledger.chaincode.ledger.PeerClock;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one transaction works with: its state view, its caller, the clock and the parameters.
 * Built once per transaction by the contract and handed to the application services.
 */
public final class Context {

    private final LedgerState state;
    private final Caller caller;
    private final Balances balances;
    private Params params;

    public Context(LedgerState state, Caller caller) {
        this.state = Objects.requireNonNull(state, "state");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.balances = new Balances(state);
    }

    public LedgerState state() {
        return state;
    }

    public Caller caller() {
        return caller;
    }

    public Balances balances() {
        return balances;
    }

    /** The transaction's timestamp in epoch seconds: the only clock endorsers agree on. */
    public long now() {
        return state.now();
    }

    /**
     * Refuses to endorse a proposal whose timestamp is further from this peer's clock than the consortium's
     * tolerance. The timestamp is written by the client and Fabric checks it neither at endorsement nor at
     * validation; with this check a member can shift the time its transactions claim by at most the tolerance.
     * Only the decision to endorse depends on the peer's clock, never what the transaction writes.
     */
    public void requireTrustedTime() {
        long tolerance = findParams().map(Params::clockToleranceSeconds).orElse(Params.DEFAULT_CLOCK_TOLERANCE_SECONDS);
        var stamped = state.timestamp();
        var peer = PeerClock.now();
        long skew = Duration.between(peer, stamped).getSeconds();
        if (Math.abs(skew) > tolerance) {
            throw new Rejection(ErrorCode.CLOCK_SKEW, "the proposal's timestamp " + stamped + " is " + Math.abs(skew)
                    + " s " + (skew < 0 ? "behind" : "ahead of") + " this peer's clock (" + peer + "); the consortium tolerates "
                    + tolerance + " s: check the client's clock");
        }
    }

    /** The consortium parameters; fails with {@code NOT_INITIALIZED} before the bootstrap. */
    public Params params() {
        if (params == null) {
            params = findParams().orElseThrow(() -> new Rejection(ErrorCode.NOT_INITIALIZED,
                    "the ledger has no consortium parameters yet; admins of a majority of the member orgs must call InitLedger"));
        }
        return params;
    }

    public Optional<Params> findParams() {
        return params != null ? Optional.of(params) : state.get(Keys.params(), Params.class);
    }
}
