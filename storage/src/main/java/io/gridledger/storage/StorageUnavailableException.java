package io.gridledger.storage;

import java.net.URI;
import java.util.Objects;

/**
 * The object store could not be reached or did not answer in time (connection refused, timeout, a 5xx such as
 * {@code SlowDown} or {@code ServiceUnavailable}): the operation may succeed if retried later.
 */
public final class StorageUnavailableException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final URI endpoint;
    private final String operation;

    public StorageUnavailableException(String bucket, URI endpoint, String operation, String reason,
            Throwable cause) {
        super(bucket, operation + " on bucket " + bucket + " at " + endpoint + " failed: the store is unavailable ("
                + reason + ")", cause);
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.operation = Objects.requireNonNull(operation, "operation");
    }

    /** The store's endpoint. */
    public URI endpoint() {
        return endpoint;
    }

    /** What was being done, such as {@code put} or {@code stat sha256/…}. */
    public String operation() {
        return operation;
    }
}
