package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.AccessDenied;
import io.gridledger.gateway.auth.RateLimited;
import io.gridledger.ledger.CommitStatusUnknown;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.LedgerException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure as the API answers it: status, {@link ApiError} body, and how long to wait before retrying. One mapping for
 * the exception handlers and for the idempotency records that keep a refused request's answer.
 *
 * <p>The contract's codes: {@code INVALID_ARGUMENT} 400, {@code FORBIDDEN} 403, {@code NOT_FOUND} 404,
 * {@code ALREADY_EXISTS}/{@code WRONG_STATE}/{@code INSUFFICIENT_FUNDS}/{@code DEADLINE_PASSED} 409,
 * {@code COMMITMENT_MISMATCH} 422; {@code NOT_INITIALIZED} and {@code CLOCK_SKEW} 503 with Retry-After (the gateway's
 * own clock is the one stamped on a transaction, so the caller did nothing wrong and a retry gets a new stamp). A
 * ledger that cannot be reached, or a transaction that failed for want of it, is 503 with Retry-After.
 */
public record Failure(HttpStatus status, ApiError error, @Nullable Duration retryAfter) {

    static final Duration LEDGER_RETRY_AFTER = Duration.ofSeconds(2);

    /** The failure {@code e} stands for, when it is one the API expects (empty: a defect, answered 500). */
    public static Optional<Failure> of(Throwable e) {
        if (e instanceof ApiException api) {
            return Optional.of(new Failure(api.status(), api.error(), api.retryAfter().orElse(null)));
        }
        if (e instanceof ContractRefusal refusal) {
            return Optional.of(refusal(refusal.code(), refusal.reason()));
        }
        if (e instanceof CommitStatusUnknown unknown) {
            return Optional.of(new Failure(HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("COMMIT_STATUS_UNKNOWN",
                    unknown.transaction() + " was submitted but its outcome is not known yet; retry with the same "
                            + "Idempotency-Key to learn it"), LEDGER_RETRY_AFTER));
        }
        if (e instanceof LedgerException ledger) {
            return Optional.of(new Failure(HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("LEDGER_UNAVAILABLE",
                    "the ledger did not complete " + ledger.transaction() + "; retry later"), LEDGER_RETRY_AFTER));
        }
        if (e instanceof AccessDenied denied) {
            return Optional.of(new Failure(HttpStatus.FORBIDDEN, ApiError.of("FORBIDDEN", denied.getMessage()), null));
        }
        if (e instanceof RateLimited limited) {
            return Optional.of(new Failure(HttpStatus.TOO_MANY_REQUESTS, ApiError.of("RATE_LIMITED", limited.getMessage()),
                    Duration.ofSeconds(limited.retryAfterSeconds())));
        }
        return Optional.empty();
    }

    static Failure refusal(ContractErrorCode code, String reason) {
        var status = switch (code) {
            case INVALID_ARGUMENT -> HttpStatus.BAD_REQUEST;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, WRONG_STATE, INSUFFICIENT_FUNDS, DEADLINE_PASSED -> HttpStatus.CONFLICT;
            case COMMITMENT_MISMATCH -> HttpStatus.UNPROCESSABLE_ENTITY;
            case NOT_INITIALIZED, CLOCK_SKEW -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        var retry = status == HttpStatus.SERVICE_UNAVAILABLE ? LEDGER_RETRY_AFTER : null;
        return new Failure(status, ApiError.of(code.name(), reason), retry);
    }

    /** The code of a status the API answers without a more precise one (routing, media type, size, auth). */
    static String codeFor(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "INVALID_ARGUMENT";
            case UNAUTHORIZED -> "UNAUTHENTICATED";
            case FORBIDDEN -> "FORBIDDEN";
            case NOT_FOUND -> "NOT_FOUND";
            case METHOD_NOT_ALLOWED -> "METHOD_NOT_ALLOWED";
            case NOT_ACCEPTABLE -> "NOT_ACCEPTABLE";
            case CONFLICT -> "CONFLICT";
            case REQUEST_ENTITY_TOO_LARGE -> "PAYLOAD_TOO_LARGE";
            case UNSUPPORTED_MEDIA_TYPE -> "UNSUPPORTED_MEDIA_TYPE";
            case UNPROCESSABLE_ENTITY -> "UNPROCESSABLE";
            case TOO_MANY_REQUESTS -> "RATE_LIMITED";
            case SERVICE_UNAVAILABLE -> "UNAVAILABLE";
            default -> status.getCode() >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
        };
    }

    public MutableHttpResponse<ApiError> response() {
        MutableHttpResponse<ApiError> response = HttpResponse.<ApiError>status(status).body(error)
                .contentType(MediaType.APPLICATION_JSON_TYPE);
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        return response;
    }
}
