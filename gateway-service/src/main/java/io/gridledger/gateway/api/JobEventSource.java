package io.gridledger.gateway.api;

import io.micronaut.core.annotation.Nullable;
import org.reactivestreams.Publisher;

/**
 * Job changes as they happen, for the event streams: the ledger's chaincode events and the provider agents' steps,
 * in one order ({@link LiveJobEventSource}).
 */
public interface JobEventSource {

    /**
     * Events from now on, or right after {@code lastEventId} when this source still has it. The starting point is
     * fixed when this is called, not when the publisher is subscribed to: read a snapshot after calling it, and no
     * change falls between the two.
     */
    Publisher<JobEvent> events(@Nullable String lastEventId);

    /**
     * Whether {@link #events} resumes after {@code lastEventId} by reading the ledger from its position: an id sent
     * before this gateway restarted, so the events after it may have been missed.
     */
    default boolean resumesFromLedger(String lastEventId) {
        return false;
    }
}
