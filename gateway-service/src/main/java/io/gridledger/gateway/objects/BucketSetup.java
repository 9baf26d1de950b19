package io.gridledger.gateway.objects;

import io.gridledger.storage.StorageException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the bucket when the gateway starts (harmless if it exists). A store that does not answer then is one WARN
 * line and {@code /health} shows it DOWN; its health check creates the bucket once the store answers.
 */
@Singleton
@Requires(beans = ObjectStorage.class)
final class BucketSetup {

    private static final Logger LOG = LoggerFactory.getLogger(BucketSetup.class);
    private final ObjectStorage storage;

    BucketSetup(ObjectStorage storage) {
        this.storage = storage;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        try {
            storage.createBucket();
        } catch (StorageException e) {
            LOG.warn("the object store's bucket could not be set up at start: {}", e.getMessage());
        }
    }
}
