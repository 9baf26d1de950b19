package io.gridledger.storage;

/** A caller's stream was not as long as it announced ({@link PutOptions#expectedSize()}); nothing was stored. */
public final class SizeMismatchException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final long expectedSize;
    private final long actualSize;

    public SizeMismatchException(String bucket, long expectedSize, long actualSize) {
        super(bucket, "refused to store an object in bucket " + bucket + ": expected " + expectedSize
                + " bytes but the stream had " + actualSize + "; nothing was stored", null);
        this.expectedSize = expectedSize;
        this.actualSize = actualSize;
    }

    public long expectedSize() {
        return expectedSize;
    }

    public long actualSize() {
        return actualSize;
    }
}
