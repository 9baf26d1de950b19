package io.gridledger.storage.minio;

import io.gridledger.storage.embedded.EmbeddedS3Server;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded S3 server (s3proxy, filesystem backend) that the local stack runs. */
class EmbeddedS3ServerObjectStoreIT extends S3ServerContract {

    @TempDir
    static Path dataDirectory;

    private static EmbeddedS3Server server;

    @BeforeAll
    static void startServer() throws IOException {
        server = EmbeddedS3Server.start(EmbeddedS3Server.Options.filesystem(dataDirectory));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected MinioStoreConfig serverConfig() {
        return server.storeConfig("unused");
    }
}
