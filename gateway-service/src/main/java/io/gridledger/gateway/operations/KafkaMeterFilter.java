package io.gridledger.gateway.operations;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The Kafka clients' metrics that micronaut-kafka binds come per client and, some, per broker connection, per topic
 * or per partition too: those share names with the per-client ones but not their tag keys, which Prometheus refuses
 * (with a WARN). They are dropped; the per-client totals stay ({@code kafka_producer_*}, {@code kafka_consumer_*}).
 */
@Factory
final class KafkaMeterFilter {

    @Singleton
    MeterFilter kafkaPerConnectionMeters() {
        return MeterFilter.deny(id -> id.getName().startsWith("kafka.")
                && (id.getTag("node-id") != null || id.getTag("topic") != null || id.getTag("partition") != null));
    }
}
