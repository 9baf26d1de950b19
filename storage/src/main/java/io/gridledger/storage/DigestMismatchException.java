package io.gridledger.storage;

import java.util.Objects;

/**
 * Bytes whose SHA-256 is not the one they must have.
 *
 * <ul>
 *   <li>{@link Stage#PUT}: a caller's stream did not hash to the SHA-256 it announced; nothing was stored.
 *   <li>{@link Stage#PROMOTE}: what an uploader PUT through a presigned URL does not hash to the SHA-256 the URL was
 *       issued for; the upload was discarded and the object does not exist because of it.
 *   <li>{@link Stage#READ}: a stored object's bytes no longer hash to its key: it was corrupted or tampered with after
 *       it was stored. The reader got the bytes, but must not use them.
 * </ul>
 */
public final class DigestMismatchException extends StorageException {

    private static final long serialVersionUID = 1L;

    /** Where the mismatch was found. */
    public enum Stage {
        PUT, PROMOTE, READ
    }

    private final String objectName;
    private final Sha256 expected;
    private final Sha256 actual;
    private final Stage stage;

    public DigestMismatchException(String bucket, String objectName, Sha256 expected, Sha256 actual, Stage stage) {
        super(bucket, message(bucket, objectName, expected, actual, stage), null);
        this.objectName = Objects.requireNonNull(objectName, "objectName");
        this.expected = Objects.requireNonNull(expected, "expected");
        this.actual = Objects.requireNonNull(actual, "actual");
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    private static String message(String bucket, String objectName, Sha256 expected, Sha256 actual, Stage stage) {
        return switch (Objects.requireNonNull(stage, "stage")) {
            case PUT -> "refused to store " + objectName + " in bucket " + bucket + ": expected SHA-256 " + expected
                    + " but the bytes hash to " + actual + "; nothing was stored";
            case PROMOTE -> "refused the upload " + objectName + " in bucket " + bucket + ": expected SHA-256 "
                    + expected + " but the uploaded bytes hash to " + actual + "; the upload was discarded";
            case READ -> "object " + objectName + " in bucket " + bucket + " is corrupt: expected SHA-256 " + expected
                    + " but its bytes hash to " + actual;
        };
    }

    /** The name of the object (for {@link Stage#PUT}, the key the caller expected; else the name read). */
    public String objectName() {
        return objectName;
    }

    /** The SHA-256 the bytes had to have. */
    public Sha256 expected() {
        return expected;
    }

    /** The SHA-256 the bytes have. */
    public Sha256 actual() {
        return actual;
    }

    public Stage stage() {
        return stage;
    }
}
