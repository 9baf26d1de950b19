package io.gridledger.gateway.operations;

import io.gridledger.gateway.dispatch.EventDispatcher;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dispatch}: the event dispatcher runs and is not stuck — no event has waited for the broker longer than
 * {@code gridledger.dispatch.max-lag} (default 30 s) — with its checkpoint, last lag and failures.
 */
@Singleton
@Requires(beans = EventDispatcher.class)
public final class DispatchHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final EventDispatcher dispatcher;
    private final Duration maxLag;

    public DispatchHealthIndicator(EventDispatcher dispatcher, @Value("${gridledger.dispatch.max-lag:30s}") Duration maxLag) {
        this.dispatcher = dispatcher;
        this.maxLag = maxLag;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        var status = dispatcher.status();
        var details = new LinkedHashMap<String, Object>();
        long pendingMillis = status.inFlightSince() == null ? 0 : Duration.between(status.inFlightSince(), Instant.now()).toMillis();
        healthStatus = status.running() && pendingMillis <= maxLag.toMillis() ? HealthStatus.UP : HealthStatus.DOWN;
        details.put("running", status.running());
        if (status.checkpoint() != null) {
            details.put("checkpointBlock", status.checkpoint().blockNumber());
        }
        if (status.lastEventAt() != null) {
            details.put("lastEventAt", status.lastEventAt().toString());
        }
        details.put("lastLagMillis", status.lastLagMillis());
        details.put("pendingMillis", pendingMillis);
        details.put("failures", status.failures());
        if (status.lastFailure() != null) {
            details.put("lastFailure", status.lastFailure());
        }
        return details;
    }

    @Override
    protected String getName() {
        return "dispatch";
    }
}
