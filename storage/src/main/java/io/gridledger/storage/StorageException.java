package io.gridledger.storage;

import java.io.IOException;
import java.util.Objects;

/**
 * A failure of the object store, named by its subtype and carrying what it concerned.
 *
 * <p>It is an {@link IOException}, like {@link java.nio.file.NoSuchFileException} for files: the store is I/O, and
 * the streams that {@link ObjectStore#get} returns fail with these same types (a corrupt object fails its reader with
 * a {@link DigestMismatchException}), so a caller catches one family whether the failure comes from a call or from a
 * read.
 */
public abstract sealed class StorageException extends IOException
        permits ObjectNotFoundException, BucketNotFoundException, DigestMismatchException, SizeMismatchException,
        StorageUnavailableException, StorageAccessDeniedException, StorageRequestException {

    private static final long serialVersionUID = 1L;

    private final String bucket;

    protected StorageException(String bucket, String message, Throwable cause) {
        super(message, cause);
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /** The bucket the failed operation worked on. */
    public String bucket() {
        return bucket;
    }
}
