package io.gridledger.gateway.api;

import io.micronaut.http.HttpStatus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A request the API refuses, with the status and the {@link ApiError} to answer: thrown by the application services,
 * answered by {@link ApiErrorHandlers}.
 */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final ApiError error;
    private final Duration retryAfter;

    public ApiException(HttpStatus status, ApiError error, Duration retryAfter) {
        super(error.code() + ": " + error.message());
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public ApiException(HttpStatus status, String code, String message) {
        this(status, ApiError.of(code, message), null);
    }

    public static ApiException invalid(String field, String reason) {
        return new ApiException(HttpStatus.BAD_REQUEST,
                new ApiError("INVALID_ARGUMENT", field + ": " + reason, List.of(new ApiError.Detail(field, reason))), null);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", what + " not found");
    }

    public static ApiException unavailable(String message, Duration retryAfter) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("UNAVAILABLE", message), retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError error() {
        return error;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
