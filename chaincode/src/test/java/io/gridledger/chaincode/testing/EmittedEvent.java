package io.gridledger.chaincode.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The chaincode event a transaction set: its name and payload. Fabric keeps one event per transaction, the one
 * from the last {@code setEvent} call.
 *
 * @param name    the event name
 * @param payload the payload bytes (empty when none was given); copied in and out
 */
public record EmittedEvent(String name, byte[] payload) {

    public EmittedEvent {
        Objects.requireNonNull(name, "name");
        payload = payload == null ? new byte[0] : payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload decoded as UTF-8 (events carry JSON in GridLedger). */
    public String payloadString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmittedEvent that && name.equals(that.name) && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "EmittedEvent[" + name + ": " + payloadString() + "]";
    }
}
