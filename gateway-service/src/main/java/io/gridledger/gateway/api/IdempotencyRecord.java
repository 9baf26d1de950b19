package io.gridledger.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * What the gateway remembers of a request made with an Idempotency-Key: which request it was ({@code requestHash}),
 * how far it got, and once done the answer to replay.
 *
 * @param state    {@code STARTED}: nothing submitted yet; {@code SUBMITTING}: transaction {@code txId} was endorsed and
 *                 handed (or about to be handed) to the orderer, outcome unknown; {@code DONE}: answered
 * @param response the answer, once {@code DONE}
 */
@Serdeable
public record IdempotencyRecord(String partnerId, String key, String requestHash, State state, @Nullable String txId,
                                @Nullable StoredResponse response, Instant createdAt, Instant updatedAt) {

    public enum State { STARTED, SUBMITTING, DONE }

    /** An answer as it was given: status, JSON body, and the resource to follow. */
    @Serdeable
    public record StoredResponse(int status, String body, @Nullable String location) {
    }

    IdempotencyRecord submitting(String txId, Instant now) {
        return new IdempotencyRecord(partnerId, key, requestHash, State.SUBMITTING, txId, null, createdAt, now);
    }

    IdempotencyRecord done(StoredResponse response, Instant now) {
        return new IdempotencyRecord(partnerId, key, requestHash, State.DONE, txId, response, createdAt, now);
    }
}
