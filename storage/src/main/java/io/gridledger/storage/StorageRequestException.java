package io.gridledger.storage;

import java.util.Objects;

/** The store answered a request with an error that no more specific type names; its S3 code and status say which. */
public final class StorageRequestException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int httpStatus;
    private final String errorCode;

    public StorageRequestException(String bucket, String operation, int httpStatus, String errorCode, String message,
            Throwable cause) {
        super(bucket, operation + " on bucket " + bucket + " failed: HTTP " + httpStatus + " " + errorCode + " ("
                + message + ")", cause);
        this.operation = Objects.requireNonNull(operation, "operation");
        this.httpStatus = httpStatus;
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    public String operation() {
        return operation;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The S3 error code, such as {@code InvalidArgument}, or a short description when the answer had none. */
    public String errorCode() {
        return errorCode;
    }
}
