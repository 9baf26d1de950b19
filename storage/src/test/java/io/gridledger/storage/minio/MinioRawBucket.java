package io.gridledger.storage.minio;

import io.gridledger.storage.ObjectStoreContract;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;

/** A bucket as an S3 server has it, through a plain MinIO client: what the contract uses to look behind the store. */
final class MinioRawBucket implements ObjectStoreContract.RawBucket {

    private final MinioAsyncClient client;
    private final String bucket;

    MinioRawBucket(MinioStoreConfig config) {
        this.client = MinioAsyncClient.builder()
                .endpoint(config.endpoint().toString())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .httpClient(new OkHttpClient(), true)
                .build();
        this.bucket = config.bucket();
    }

    @Override
    public List<String> objectNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            names.add(item.get().objectName());
        }
        return names;
    }

    @Override
    public List<String> unfinishedUploads() {
        return client.listMultipartUploads(ListMultipartUploadsArgs.builder().bucket(bucket).build()).join()
                .result().uploads().stream().map(upload -> upload.objectName()).toList();
    }

    @Override
    public void overwrite(String objectName, byte[] bytes) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(objectName).data(bytes, bytes.length).build())
                .join();
    }
}
