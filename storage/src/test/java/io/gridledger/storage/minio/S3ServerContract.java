package io.gridledger.storage.minio;

import io.gridledger.storage.ObjectStore;
import io.gridledger.storage.ObjectStoreContract;

/** The contract over {@link MinioObjectStore}, for any S3 server: a subclass says which server. */
abstract class S3ServerContract extends ObjectStoreContract {

    /** The server's endpoint and credentials (any bucket: each test gets its own). */
    protected abstract MinioStoreConfig serverConfig();

    private MinioStoreConfig config(String bucket) {
        return serverConfig().withBucket(bucket).withPartSize(PART_SIZE);
    }

    @Override
    protected ObjectStore newStore(String bucket) {
        return new MinioObjectStore(config(bucket));
    }

    @Override
    protected RawBucket rawBucket(String bucket) {
        return new MinioRawBucket(config(bucket));
    }
}
