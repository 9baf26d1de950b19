package io.gridledger.gateway.testkit;

import io.gridledger.storage.ObjectInfo;
import io.gridledger.storage.ObjectStore;
import io.gridledger.storage.StorageException;
import io.gridledger.storage.embedded.EmbeddedS3Server;
import io.gridledger.storage.minio.MinioObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One embedded S3 server (s3proxy, filesystem backend) per test JVM, stopped at exit, and the gateway configuration
 * that points at it: every gateway of the tests shares one bucket, whose objects are content-addressed and whose
 * records are keyed by job ids unique to the run.
 *
 * <pre>{@code
 * properties.putAll(TestObjects.gatewayProperties());
 * ObjectInfo input = TestObjects.store().put(bytes);
 * }</pre>
 */
public final class TestObjects {

    public static final String BUCKET = "gridledger-tests";
    /** The input every test job names ({@code data.bin}): these bytes, stored before any gateway starts. */
    public static final byte[] TEST_INPUT = "the input of every test job\n".getBytes(StandardCharsets.UTF_8);

    private static EmbeddedS3Server server;
    private static ObjectStore store;

    private TestObjects() {
    }

    public static synchronized EmbeddedS3Server server() {
        if (server == null) {
            try {
                server = EmbeddedS3Server.start(EmbeddedS3Server.Options.filesystem(Files.createTempDirectory("gridledger-s3-"))
                        .withMaxHeap("384m"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store = new MinioObjectStore(server.storeConfig(BUCKET));
            try {
                store.createBucket();
                store.put(TEST_INPUT);
            } catch (StorageException e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                store.close();
                server.close();
            }));
        }
        return server;
    }

    /** A store on the shared bucket, bypassing any gateway. */
    public static ObjectStore store() {
        server();
        return store;
    }

    public static ObjectInfo put(byte[] bytes) {
        try {
            return store().put(bytes);
        } catch (StorageException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code gridledger.objects.*} of a gateway on the shared server and bucket. */
    public static Map<String, String> gatewayProperties() {
        var s3 = server();
        var properties = new LinkedHashMap<String, String>();
        properties.put("gridledger.objects.endpoint", s3.endpoint().toString());
        properties.put("gridledger.objects.access-key", s3.accessKey());
        properties.put("gridledger.objects.secret-key", s3.secretKey());
        properties.put("gridledger.objects.bucket", BUCKET);
        return properties;
    }
}
