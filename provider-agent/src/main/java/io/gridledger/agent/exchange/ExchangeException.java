package io.gridledger.agent.exchange;

import java.time.Duration;
import java.util.Optional;

/**
 * A node-exchange call that failed: the gateway's error {@code code} (NODE-EXCHANGE.md: {@code NOT_ASSIGNED},
 * {@code INPUT_MISSING}, {@code UPLOAD_MISMATCH}…, or {@code UNREACHABLE} when no answer came), the HTTP status (0
 * without an answer) and, for a 503, when to try again.
 */
public final class ExchangeException extends Exception {

    /** The code of a call that got no answer (connection refused, timeout, no gateway configured). */
    public static final String UNREACHABLE = "UNREACHABLE";

    private final String code;
    private final int status;
    private final Duration retryAfter;

    public ExchangeException(String code, int status, String message, Duration retryAfter, Throwable cause) {
        super(code + " (" + (status == 0 ? "no answer" : "HTTP " + status) + "): " + message, cause);
        this.code = code;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public static ExchangeException unreachable(String message, Throwable cause) {
        return new ExchangeException(UNREACHABLE, 0, message, null, cause);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Worth trying again: no answer, or the gateway's store or ledger is unavailable for now. */
    public boolean transientFailure() {
        return status == 0 || status == 503;
    }

    /** The replica is no longer this node's to work on (reassigned, timed out, job ended). */
    public boolean replicaGone() {
        return switch (code) {
            case "ATTEMPT_SUPERSEDED", "REPLICA_TIMED_OUT", "JOB_ENDED", "NOT_ASSIGNED" -> true;
            default -> false;
        };
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
