package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.ledger.Balances;
import io.gridledger.chaincode.ledger.Caller;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;

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

    public long now() {
        return state.now();
    }

    /** The consortium parameters; fails with {@code NOT_INITIALIZED} before {@code InitLedger}. */
    public Params params() {
        if (params == null) {
            params = findParams().orElseThrow(() -> new Rejection(ErrorCode.NOT_INITIALIZED,
                    "the ledger has no consortium parameters yet; an org admin must call InitLedger"));
        }
        return params;
    }

    public Optional<Params> findParams() {
        return state.get(Keys.params(), Params.class);
    }
}
