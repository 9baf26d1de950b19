package io.gridledger.storage;

/** The store's bucket does not exist: nobody called {@link ObjectStore#createBucket()}, or it was removed. */
public final class BucketNotFoundException extends StorageException {

    private static final long serialVersionUID = 1L;

    public BucketNotFoundException(String bucket) {
        super(bucket, "bucket " + bucket + " does not exist (ObjectStore.createBucket() creates it)", null);
    }
}
