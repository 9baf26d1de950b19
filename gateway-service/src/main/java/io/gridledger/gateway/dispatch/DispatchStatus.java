package io.gridledger.gateway.dispatch;

import io.gridledger.ledger.EventCheckpoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * How the dispatcher is doing, for health: whether its reader runs, the last event it published and when, how long
 * that took from the event's arrival, and the last failure.
 *
 * @param lastLagMillis  from the event's arrival (as its block committed) to the broker's acknowledgement
 * @param inFlightSince  when the event being published now arrived, if one is: a stuck broker shows here
 */
@Serdeable
public record DispatchStatus(boolean running, @Nullable EventCheckpoint checkpoint, @Nullable Instant lastEventAt,
                             long lastLagMillis, @Nullable Instant inFlightSince, long failures,
                             @Nullable String lastFailure) {
}
