package io.gridledger.gateway.operations;

import io.gridledger.gateway.dispatch.DispatchSettings;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.LedgerException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ledger}: the org's peer answers a cheap query ({@code GetParameters}) within the query deadline. */
@Singleton
@Requires(beans = Ledger.class)
public final class LedgerHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final Ledger ledger;
    private final String identity;

    public LedgerHealthIndicator(Ledger ledger, DispatchSettings settings) {
        this.ledger = ledger;
        this.identity = settings.identity();
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        var details = new LinkedHashMap<String, Object>();
        long started = System.nanoTime();
        try {
            var parameters = ledger.getParameters(identity);
            healthStatus = HealthStatus.UP;
            details.put("parametersVersion", parameters.version());
            details.put("members", parameters.members());
        } catch (ContractRefusal refusal) {
            // the peer answered: reachable, but the consortium is not usable yet
            healthStatus = HealthStatus.DOWN;
            details.put("refusal", refusal.code().name());
        } catch (LedgerException e) {
            healthStatus = HealthStatus.DOWN;
            details.put("error", e.getMessage());
        }
        details.put("latencyMillis", (System.nanoTime() - started) / 1_000_000);
        return details;
    }

    @Override
    protected String getName() {
        return "ledger";
    }
}
