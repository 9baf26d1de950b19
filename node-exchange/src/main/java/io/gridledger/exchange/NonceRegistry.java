package io.gridledger.exchange;

import java.time.Instant;

/**
 * Remembers nonces so a captured request cannot be sent again: a verifier registers a request's nonce only after its
 * signature verified (so nobody can burn another node's nonces), and keeps it until the request's timestamp has left
 * the tolerance window, after which the timestamp check alone refuses a replay.
 */
@FunctionalInterface
public interface NonceRegistry {

    /**
     * Records {@code nonce} of {@code mspId} until {@code keepUntil}.
     *
     * @return false if that MSP's nonce is already recorded (a replay)
     */
    boolean register(String mspId, String nonce, Instant keepUntil);
}
