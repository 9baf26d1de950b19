package io.gridledger.exchange;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Nonces in this process's memory, each forgotten once its time passed, at most {@code capacity} at a time. When full
 * it refuses new nonces (fails closed) rather than forget one early, which would open a replay: size it above the
 * request rate times the window (about 100 bytes a nonce).
 *
 * <p>One gateway instance: several instances behind one address need a shared registry (or sticky routing by node).
 */
public final class InMemoryNonceRegistry implements NonceRegistry {

    private record Entry(String key, Instant keepUntil) {
    }

    private final int capacity;
    private final Clock clock;
    private final Map<String, Instant> nonces = new HashMap<>();
    private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>((a, b) -> a.keepUntil.compareTo(b.keepUntil));

    public InMemoryNonceRegistry(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized boolean register(String mspId, String nonce, Instant keepUntil) {
        var now = clock.instant();
        while (!byExpiry.isEmpty() && byExpiry.peek().keepUntil.isBefore(now)) {
            var expired = byExpiry.poll();
            nonces.remove(expired.key, expired.keepUntil);
        }
        var key = mspId + "\n" + nonce;
        if (nonces.containsKey(key)) {
            return false;
        }
        if (nonces.size() >= capacity) {
            throw new IllegalStateException("the nonce registry is full (" + capacity + " nonces within the window)");
        }
        nonces.put(key, keepUntil);
        byExpiry.add(new Entry(key, keepUntil));
        return true;
    }

    /** How many nonces are remembered now. */
    public synchronized int size() {
        return nonces.size();
    }
}
