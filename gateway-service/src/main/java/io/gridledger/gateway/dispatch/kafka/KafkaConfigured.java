package io.gridledger.gateway.dispatch.kafka;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;

/**
 * This gateway has a Kafka: {@code kafka.bootstrap.servers} names a cluster, or {@code gridledger.kafka.embedded=true}
 * asks for the embedded broker. Without either there is no dispatcher and no consumer of the agents' topics (the
 * partner API still serves, from the ledger alone).
 */
public final class KafkaConfigured implements Condition {

    @Override
    public boolean matches(ConditionContext context) {
        if (!(context.getBeanContext() instanceof ApplicationContext app)) {
            return false;
        }
        var environment = app.getEnvironment();
        return environment.getProperty("kafka.bootstrap.servers", String.class).filter(s -> !s.isBlank()).isPresent()
                || environment.getProperty("gridledger.kafka.embedded", Boolean.class).orElse(false);
    }
}
