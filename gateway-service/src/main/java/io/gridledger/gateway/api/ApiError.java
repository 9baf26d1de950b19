package io.gridledger.gateway.api;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The one error body of the partner API, for every failure:
 * {@code {"code": "INVALID_ARGUMENT", "message": "…", "details": [{"field": "resources.cpuMillis", "reason": "…"}]}}.
 *
 * @param code    stable and machine-readable: the contract's error codes ({@code NOT_FOUND}, {@code WRONG_STATE}, …)
 *                and the API's own ({@code UNAUTHENTICATED}, {@code RATE_LIMITED}, {@code IDEMPOTENCY_KEY_REUSED}, …)
 * @param message for people; may change
 * @param details what was wrong with which field, when the request was invalid
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Error", description = "The error body of every failed request")
public record ApiError(String code, String message, List<Detail> details) {

    public ApiError {
        details = details == null ? List.of() : List.copyOf(details);
    }

    public static ApiError of(String code, String message) {
        return new ApiError(code, message, List.of());
    }

    /** What was wrong with one field ({@code resources.cpuMillis}, {@code inputs[0].sha256}, a header or parameter). */
    @Serdeable
    @Schema(name = "ErrorDetail")
    public record Detail(@Nullable String field, String reason) {
    }
}
