package io.gridledger.chaincode.domain;

import java.util.Objects;

/**
 * A request the contract refuses, with the code that says why.
 *
 * <p>Domain code throws it; the contract layer turns it into a {@code ChaincodeException} whose payload is
 * the code, so the transaction fails and writes nothing.
 */
public final class Rejection extends RuntimeException {

    private final ErrorCode code;

    public Rejection(ErrorCode code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public static Rejection invalid(String message) {
        return new Rejection(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static Rejection forbidden(String message) {
        return new Rejection(ErrorCode.FORBIDDEN, message);
    }

    public static Rejection notFound(String what, String id) {
        return new Rejection(ErrorCode.NOT_FOUND, what + " '" + id + "' does not exist");
    }

    public static Rejection wrongState(String message) {
        return new Rejection(ErrorCode.WRONG_STATE, message);
    }

    /** Fails with {@link ErrorCode#INVALID_ARGUMENT} unless {@code condition} holds. */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw invalid(message);
        }
    }

    /** Fails with {@link ErrorCode#INVALID_ARGUMENT} unless {@code min <= value <= max}. */
    public static long requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(field + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Fails unless {@code value} is non-null. */
    public static <T> T requirePresent(String field, T value) {
        if (value == null) {
            throw invalid(field + " is required");
        }
        return value;
    }
}
