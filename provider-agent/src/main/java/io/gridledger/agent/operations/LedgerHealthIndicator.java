package io.gridledger.agent.operations;

import io.gridledger.agent.NodeIdentity;
import io.gridledger.ledger.Ledger;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} → {@code ledger}: the org's peer answers a query made as the node ({@code WhoAmI}). */
@Singleton
@Readiness
final class LedgerHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final Ledger ledger;
    private final NodeIdentity node;

    LedgerHealthIndicator(Ledger ledger, NodeIdentity node) {
        this.ledger = ledger;
        this.node = node;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        var details = new LinkedHashMap<String, Object>();
        details.put("node", node.nodeId());
        try {
            details.put("balance", ledger.whoAmI(node.name()).balance());
            healthStatus = HealthStatus.UP;
        } catch (RuntimeException e) {
            details.put("error", e.getMessage());
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }

    @Override
    protected String getName() {
        return "ledger";
    }
}
