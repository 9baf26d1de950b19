package io.gridledger.chaincode.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The clock of the endorsing peer's host: what a proposal's timestamp is checked against before the contract
 * endorses it. Only refusals depend on it (never a write), so endorsers' write sets stay deterministic.
 *
 * <p>A peer that runs the contract in-process (the chaincode test harness) pins the time for the transactions
 * it runs on its own thread with {@link #at}; everywhere else it is the system clock.
 */
public final class PeerClock {

    private static final ThreadLocal<Instant> PINNED = new ThreadLocal<>();

    private PeerClock() {
    }

    public static Instant now() {
        var pinned = PINNED.get();
        return pinned != null ? pinned : Instant.now();
    }

    /** Runs {@code body} with this thread's peer clock reading {@code time}. */
    public static <T> T at(Instant time, Supplier<T> body) {
        Objects.requireNonNull(time, "time");
        var previous = PINNED.get();
        PINNED.set(time);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                PINNED.remove();
            } else {
                PINNED.set(previous);
            }
        }
    }
}
