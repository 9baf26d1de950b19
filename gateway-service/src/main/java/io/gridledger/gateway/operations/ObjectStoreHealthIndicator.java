package io.gridledger.gateway.operations;

import io.gridledger.gateway.objects.ObjectStorage;
import io.gridledger.storage.StorageException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code objects}: this org's object store answers, and its bucket exists (created if it did not). */
@Singleton
@Requires(beans = ObjectStorage.class)
public final class ObjectStoreHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final ObjectStorage storage;

    public ObjectStoreHealthIndicator(ObjectStorage storage) {
        this.storage = storage;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        var details = new LinkedHashMap<String, Object>();
        details.put("bucket", storage.store().bucket());
        long started = System.nanoTime();
        try {
            storage.createBucket();
            healthStatus = HealthStatus.UP;
        } catch (StorageException e) {
            healthStatus = HealthStatus.DOWN;
            details.put("error", e.getMessage());
        }
        details.put("latencyMillis", (System.nanoTime() - started) / 1_000_000);
        return details;
    }

    @Override
    protected String getName() {
        return "objects";
    }
}
