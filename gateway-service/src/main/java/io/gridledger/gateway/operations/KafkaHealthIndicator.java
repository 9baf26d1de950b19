package io.gridledger.gateway.operations;

import io.gridledger.gateway.dispatch.JobDispatch;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;

/** {@code kafka}: this org's broker answers within two seconds. */
@Singleton
@Requires(beans = JobDispatch.class)
public final class KafkaHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final JobDispatch dispatch;

    public KafkaHealthIndicator(JobDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        var reach = dispatch.reach(Duration.ofSeconds(2));
        healthStatus = reach.reachable() ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("detail", reach.detail());
    }

    @Override
    protected String getName() {
        return "kafka";
    }
}
