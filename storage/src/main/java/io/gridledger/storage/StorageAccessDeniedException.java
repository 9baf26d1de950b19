package io.gridledger.storage;

import java.util.Objects;

/**
 * The store refused the credentials or the request's signature ({@code AccessDenied}, {@code InvalidAccessKeyId},
 * {@code SignatureDoesNotMatch}…): a configuration error, not a transient one.
 */
public final class StorageAccessDeniedException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String errorCode;

    public StorageAccessDeniedException(String bucket, String operation, String errorCode, String message) {
        super(bucket, operation + " on bucket " + bucket + " was denied: " + errorCode + " (" + message
                + "); check the store's access key, secret key and region", null);
        this.operation = Objects.requireNonNull(operation, "operation");
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    public String operation() {
        return operation;
    }

    /** The S3 error code, such as {@code InvalidAccessKeyId}. */
    public String errorCode() {
        return errorCode;
    }
}
