package io.gridledger.agent.operations;

import io.gridledger.agent.runtime.ContainerRuntime;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code /health} → {@code engine}: the container engine answers (it lists GridLedger's containers). */
@Singleton
@Readiness
final class EngineHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final ContainerRuntime runtime;

    EngineHealthIndicator(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        var details = new LinkedHashMap<String, Object>();
        details.put("engine", runtime.engine().toString());
        try {
            details.put("containers", runtime.list(Optional.empty()).size());
            healthStatus = HealthStatus.UP;
        } catch (Exception e) {
            details.put("error", e.getMessage());
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }

    @Override
    protected String getName() {
        return "engine";
    }
}
