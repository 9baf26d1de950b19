package io.gridledger.storage.minio;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.MinIOContainer;

/**
 * The contract against a real MinIO server in a container, where a MinIO image exists in the local Docker engine
 * ({@link LocalMinioImage} disables the class, saying why, everywhere else).
 */
@ExtendWith(LocalMinioImage.class)
class MinioContainerObjectStoreIT extends S3ServerContract {

    private static MinIOContainer minio;

    @BeforeAll
    static void startMinio() {
        minio = new MinIOContainer(LocalMinioImage.image()).withUserName("gridledger").withPassword("gridledger-secret");
        minio.start();
    }

    @AfterAll
    static void stopMinio() {
        if (minio != null) {
            minio.stop();
        }
    }

    @Override
    protected MinioStoreConfig serverConfig() {
        return MinioStoreConfig.of(URI.create(minio.getS3URL()), minio.getUserName(), minio.getPassword(), "unused");
    }
}
