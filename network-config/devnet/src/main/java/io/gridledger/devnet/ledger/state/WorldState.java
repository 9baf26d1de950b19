package io.gridledger.devnet.ledger.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.StampedLock;

/**
 * The channel's world state: per chaincode namespace, a sorted map of key → {@link VersionedValue}, plus the
 * history of every key. It is rebuilt from the block store at start-up (the blocks are the durable truth, as
 * a Fabric peer can rebuild its state database from its block files).
 *
 * <p>Simulations hold the read side of a lock while they run ({@link #beginSimulation()}) so that each sees one
 * committed height; commits take the write side, as Fabric's transaction manager does. The lock is a
 * {@link StampedLock} because a simulation starts on one thread and ends on another.
 */
public final class WorldState {

    final Map<String, ConcurrentSkipListMap<String, VersionedValue>> namespaces = new ConcurrentHashMap<>();
    final Map<String, List<HistoryEntry>> history = new ConcurrentHashMap<>();
    private final StampedLock lock = new StampedLock();

    public Optional<VersionedValue> get(String namespace, String key) {
        var ns = namespaces.get(namespace);
        return ns == null ? Optional.empty() : Optional.ofNullable(ns.get(key));
    }

    /** Keys in [start, end) — or [start, end] when {@code endInclusive} — with {@code end} empty meaning unbounded. */
    public NavigableMap<String, VersionedValue> range(String namespace, String start, String end, boolean endInclusive) {
        var ns = namespaces.get(namespace);
        if (ns == null) {
            return Collections.emptyNavigableMap();
        }
        if (end.isEmpty()) {
            return ns.tailMap(start, true);
        }
        if (KeyOrder.INSTANCE.compare(start, end) > 0) {
            return Collections.emptyNavigableMap();
        }
        return ns.subMap(start, true, end, endInclusive);
    }

    /** Every committed write of the key, newest first (Fabric 2.x order). */
    public List<HistoryEntry> history(String namespace, String key) {
        var entries = history.get(historyKey(namespace, key));
        if (entries == null) {
            return List.of();
        }
        synchronized (entries) {
            var copy = new ArrayList<>(entries);
            Collections.reverse(copy);
            return copy;
        }
    }

    /** Taken by a simulation for its whole run; pass the stamp to {@link #endSimulation}. */
    public long beginSimulation() {
        return lock.readLock();
    }

    public void endSimulation(long stamp) {
        lock.unlockRead(stamp);
    }

    /** Applies a block's valid updates atomically with respect to simulations. */
    public void commit(UpdateBatch batch) {
        long stamp = lock.writeLock();
        try {
            batch.pending().forEach((namespace, updates) -> {
                var ns = namespaces.computeIfAbsent(namespace, n -> new ConcurrentSkipListMap<>(KeyOrder.INSTANCE));
                updates.forEach((key, value) -> {
                    if (value.isPresent()) {
                        ns.put(key, value.get());
                    } else {
                        ns.remove(key);
                    }
                });
            });
            for (var entry : batch.history()) {
                var list = history.computeIfAbsent(entry.getKey(), k -> new ArrayList<>());
                synchronized (list) {
                    list.add(entry.getValue());
                }
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    static String historyKey(String namespace, String key) {
        return namespace + '\u0000' + key;
    }
}
