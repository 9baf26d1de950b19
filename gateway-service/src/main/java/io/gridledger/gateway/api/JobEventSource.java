package io.gridledger.gateway.api;

import io.micronaut.core.annotation.Nullable;
import org.reactivestreams.Publisher;

/**
 * Job changes as they commit, for the event streams: today from the ledger's chaincode events
 * ({@link LedgerJobEventSource}); the dispatch's job-events Kafka topic can take its place behind this port.
 */
public interface JobEventSource {

    /**
     * Events from now on, or right after {@code lastEventId} when this source still has it. The starting point is
     * fixed when this is called, not when the publisher is subscribed to: read a snapshot after calling it, and no
     * change falls between the two.
     */
    Publisher<JobEvent> events(@Nullable String lastEventId);
}
