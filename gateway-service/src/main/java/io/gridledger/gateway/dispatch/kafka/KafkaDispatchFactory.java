package io.gridledger.gateway.dispatch.kafka;

import io.gridledger.gateway.dispatch.DispatchMessage;
import io.gridledger.gateway.dispatch.DispatchSettings;
import io.gridledger.gateway.dispatch.JobDispatch;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.Map;

/** The Kafka beans: the embedded broker when asked for, and the dispatch port on whichever cluster is configured. */
@Factory
final class KafkaDispatchFactory {

    /** Started with the context (not on first use), so the local stack's broker is up as soon as the gateway is. */
    @Context
    @Requires(property = "gridledger.kafka.embedded", value = "true")
    @Bean(preDestroy = "close")
    EmbeddedKafka embeddedKafka(KafkaSettings settings) {
        return EmbeddedKafka.start(Path.of(settings.embeddedDataDir()), settings.embeddedPort());
    }

    @Singleton
    @Requires(condition = KafkaConfigured.class)
    @Bean(preDestroy = "close")
    JobDispatch jobDispatch(KafkaSettings kafka, DispatchSettings dispatch, JsonMapper json,
                            BeanProvider<EmbeddedKafka> embedded, @Nullable io.gridledger.ledger.Identities identities) {
        var servers = kafka.bootstrapServers() != null && !kafka.bootstrapServers().isBlank()
                ? kafka.bootstrapServers() : embedded.get().bootstrapServers();
        var clientId = "gridledger-gateway-" + (identities == null ? "local" : identities.mspId());
        return new KafkaJobDispatch(servers, clientId, Map.of(DispatchMessage.Topic.ASSIGNMENTS, dispatch.assignmentsTopic(),
                DispatchMessage.Topic.JOB_EVENTS, dispatch.jobEventsTopic()), json, kafka.deliveryTimeout());
    }

    /** Kafka is configured: bootstrap servers are given, or the embedded broker is asked for. */
    public static final class KafkaConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            var environment = context.getBeanContext() instanceof io.micronaut.context.ApplicationContext app ? app.getEnvironment() : null;
            if (environment == null) {
                return false;
            }
            return environment.getProperty("gridledger.kafka.bootstrap-servers", String.class).filter(s -> !s.isBlank()).isPresent()
                    || environment.getProperty("gridledger.kafka.embedded", Boolean.class).orElse(false);
        }
    }
}
