package io.gridledger.agent.operations;

import io.gridledger.agent.config.AgentFaults;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * {@code /health} → {@code faults}: present only on a node with a fault injected (testing only), so whoever reads the
 * node's health sees that its results are not to be trusted. It does not change the node's status.
 */
@Singleton
@Requires(property = AgentFaults.CORRUPT_RESULTS, value = "true")
final class FaultInjectionHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = HealthStatus.UP; // only there when the fault is on, so its details are fixed
        return Map.of("corrupt-results", true, "note", "testing only: this node reports corrupted results");
    }

    @Override
    protected String getName() {
        return "faults";
    }
}
