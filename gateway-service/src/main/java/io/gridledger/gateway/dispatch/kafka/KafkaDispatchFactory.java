package io.gridledger.gateway.dispatch.kafka;

import io.gridledger.gateway.dispatch.DispatchMessage;
import io.gridledger.gateway.dispatch.DispatchSettings;
import io.gridledger.gateway.dispatch.JobDispatch;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.AdminClient;

import java.nio.file.Path;
import java.util.Map;

/** The Kafka beans: the embedded broker when asked for, and the dispatch port on whichever cluster is configured. */
@Factory
final class KafkaDispatchFactory {

    /** Started with the context (not on first use), so the local stack's broker is up as soon as the gateway is. */
    @Context
    @Requires(property = "gridledger.kafka.embedded", value = "true")
    @Requires(missingProperty = "kafka.bootstrap.servers")
    @Bean(preDestroy = "close")
    EmbeddedKafka embeddedKafka(KafkaSettings settings) {
        return EmbeddedKafka.start(Path.of(settings.embeddedDataDir()), settings.embeddedPort());
    }

    @Singleton
    @Requires(condition = KafkaConfigured.class)
    @Bean(preDestroy = "close")
    JobDispatch jobDispatch(DispatchProducer producer, AdminClient admin, KafkaSettings kafka, DispatchSettings dispatch,
                            JsonMapper json) {
        return new KafkaJobDispatch(producer, admin, Map.of(DispatchMessage.Topic.ASSIGNMENTS, dispatch.assignmentsTopic(),
                DispatchMessage.Topic.JOB_EVENTS, dispatch.jobEventsTopic()), json, kafka.deliveryTimeout());
    }
}
