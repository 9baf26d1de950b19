package io.gridledger.gateway.objects;

import io.gridledger.storage.embedded.EmbeddedS3Server;
import io.gridledger.storage.minio.MinioObjectStore;
import io.gridledger.storage.minio.MinioStoreConfig;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** The object-store beans: the embedded S3 server when asked for, and {@link ObjectStorage} on whichever is configured. */
@Factory
final class ObjectStoreFactory {

    /** Started with the context, so the local stack's store is up as soon as the gateway is. */
    @Context
    @Requires(property = "gridledger.objects.embedded", value = "true")
    @Bean(preDestroy = "close")
    EmbeddedS3Server embeddedS3Server(ObjectSettings settings) {
        var options = EmbeddedS3Server.Options.filesystem(Path.of(settings.embeddedDataDir()))
                .withPort(settings.embeddedPort()).withMaxHeap(settings.embeddedMaxHeap());
        if (settings.accessKey() != null && settings.secretKey() != null) {
            options = options.withCredentials(settings.accessKey(), settings.secretKey());
        }
        try {
            return EmbeddedS3Server.start(options);
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded S3 server did not start: " + e.getMessage(), e);
        }
    }

    @Singleton
    @Requires(condition = ObjectsConfigured.class)
    @Bean(preDestroy = "close")
    ObjectStorage objectStorage(ObjectSettings settings, BeanProvider<EmbeddedS3Server> embedded) {
        MinioStoreConfig config;
        if (settings.endpoint() != null) {
            if (settings.accessKey() == null || settings.secretKey() == null) {
                throw new IllegalStateException("gridledger.objects.endpoint needs gridledger.objects.access-key and "
                        + "gridledger.objects.secret-key");
            }
            config = MinioStoreConfig.of(settings.endpoint(), settings.accessKey(), settings.secretKey(), settings.bucket());
        } else {
            config = embedded.get().storeConfig(settings.bucket());
        }
        // Presigned URLs are valid for at most the configured expiry; a node may ask for them again.
        config = config.withRegion(settings.region()).withPartSize(settings.partSize())
                .withPresignExpiryBounds(Duration.ofSeconds(1), max(settings.presignExpiry(), Duration.ofHours(1)));
        var store = new MinioObjectStore(config);
        var presigner = settings.publicEndpoint() == null ? store : new MinioObjectStore(withEndpoint(config, settings.publicEndpoint()));
        return new ObjectStorage(store, presigner, settings.presignExpiry(), settings.maxObjectBytes());
    }

    private static MinioStoreConfig withEndpoint(MinioStoreConfig config, URI endpoint) {
        return MinioStoreConfig.of(endpoint, config.accessKey(), config.secretKey(), config.bucket())
                .withRegion(config.region()).withPartSize(config.partSize())
                .withPresignExpiryBounds(config.minPresignExpiry(), config.maxPresignExpiry());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** An object store is configured: an endpoint is given, or the embedded server is asked for. */
    public static final class ObjectsConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            var environment = context.getBeanContext() instanceof io.micronaut.context.ApplicationContext app ? app.getEnvironment() : null;
            if (environment == null) {
                return false;
            }
            return environment.getProperty("gridledger.objects.endpoint", String.class).filter(s -> !s.isBlank()).isPresent()
                    || environment.getProperty("gridledger.objects.embedded", Boolean.class).orElse(false);
        }
    }
}
