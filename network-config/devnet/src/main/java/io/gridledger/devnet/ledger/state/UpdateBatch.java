package io.gridledger.devnet.ledger.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state changes of one block's valid transactions, applied in transaction order. While a block is being
 * validated it is also the overlay through which later transactions of the block see the writes of earlier
 * valid ones (for MVCC, phantom and key-level policy checks), as Fabric's validator does.
 */
public final class UpdateBatch {

    private final WorldState base;
    /** namespace → key → the key's state after this batch; {@code Optional.empty()} marks a deletion. */
    private final Map<String, NavigableMap<String, Optional<VersionedValue>>> pending = new HashMap<>();
    private final List<Map.Entry<String, HistoryEntry>> history = new ArrayList<>();

    public UpdateBatch(WorldState base) {
        this.base = base;
    }

    /** The key's value as of the end of this batch so far (committed state overlaid with pending writes). */
    public Optional<VersionedValue> get(String namespace, String key) {
        var ns = pending.get(namespace);
        if (ns != null && ns.containsKey(key)) {
            return ns.get(key);
        }
        return base.get(namespace, key);
    }

    /** Whether a transaction of this batch wrote the key (its value, its metadata, or a delete). */
    public boolean updates(String namespace, String key) {
        var ns = pending.get(namespace);
        return ns != null && ns.containsKey(key);
    }

    /** Keys in [start, end) ({@code end} empty = unbounded) as of the end of this batch so far, in key order. */
    public NavigableMap<String, VersionedValue> range(String namespace, String start, String end, boolean endInclusive) {
        var merged = new TreeMap<String, VersionedValue>(KeyOrder.INSTANCE);
        merged.putAll(base.range(namespace, start, end, endInclusive));
        var ns = pending.get(namespace);
        if (ns != null && (end.isEmpty() || KeyOrder.INSTANCE.compare(start, end) <= 0)) {
            var slice = end.isEmpty() ? ns.tailMap(start, true) : ns.subMap(start, true, end, endInclusive);
            slice.forEach((key, value) -> {
                if (value.isPresent()) {
                    merged.put(key, value.get());
                } else {
                    merged.remove(key);
                }
            });
        }
        return merged;
    }

    public void put(String namespace, String key, ByteString value, Version version, String txId, Timestamp timestamp) {
        var metadata = get(namespace, key).map(VersionedValue::metadata).orElse(Collections.emptySortedMap());
        slot(namespace).put(key, Optional.of(new VersionedValue(value, version, metadata)));
        history.add(Map.entry(WorldState.historyKey(namespace, key),
                new HistoryEntry(txId, value, timestamp, false, version)));
    }

    public void delete(String namespace, String key, Version version, String txId, Timestamp timestamp) {
        slot(namespace).put(key, Optional.empty());
        history.add(Map.entry(WorldState.historyKey(namespace, key),
                new HistoryEntry(txId, ByteString.EMPTY, timestamp, true, version)));
    }

    /** Replaces the key's metadata; ignored when the key does not exist (as in Fabric). */
    public void putMetadata(String namespace, String key, SortedMap<String, ByteString> metadata, Version version) {
        get(namespace, key).ifPresent(current ->
                slot(namespace).put(key, Optional.of(new VersionedValue(current.value(), version, metadata))));
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    Map<String, NavigableMap<String, Optional<VersionedValue>>> pending() {
        return pending;
    }

    List<Map.Entry<String, HistoryEntry>> history() {
        return history;
    }

    private NavigableMap<String, Optional<VersionedValue>> slot(String namespace) {
        return pending.computeIfAbsent(namespace, ns -> new TreeMap<>(KeyOrder.INSTANCE));
    }
}
