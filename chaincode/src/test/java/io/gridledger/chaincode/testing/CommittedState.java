package io.gridledger.chaincode.testing;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One immutable version of a channel's committed world state for one chaincode: values with their versions and
 * validation parameters, plus the history database. Transactions read a {@code CommittedState} captured when
 * they start, so they see a consistent snapshot even if another transaction commits meanwhile.
 */
final class CommittedState {

    /** A committed value, the height (commit number) that last wrote it, and its key-level endorsement policy. */
    record Entry(byte[] value, long version, byte[] validationParameter) {
    }

    /** One committed write or delete of a key, as the history database keeps it. */
    record HistoryEntry(String txId, Instant timestamp, byte[] value, boolean deleted) {
    }

    /** A range the transaction scanned, with the keys and versions it saw (for phantom-read validation). */
    record RangeRead(String startKey, String endKey, List<Map.Entry<String, Long>> seen) {
    }

    /** Version recorded for a key that did not exist when read. */
    static final long ABSENT = 0;

    static final CommittedState GENESIS = new CommittedState(
            0, Collections.unmodifiableNavigableMap(new TreeMap<>(KeyOrder.INSTANCE)), Map.of());

    private final long height;
    private final NavigableMap<String, Entry> state;
    private final Map<String, List<HistoryEntry>> history;

    private CommittedState(long height, NavigableMap<String, Entry> state, Map<String, List<HistoryEntry>> history) {
        this.height = height;
        this.state = state;
        this.history = history;
    }

    long height() {
        return height;
    }

    Optional<Entry> entry(String key) {
        return Optional.ofNullable(state.get(key));
    }

    long version(String key) {
        var entry = state.get(key);
        return entry == null ? ABSENT : entry.version();
    }

    /** Keys in {@code [startKey, endKey)} in LevelDB order; an empty {@code endKey} means no upper bound. */
    NavigableMap<String, Entry> range(String startKey, String endKey) {
        if (endKey.isEmpty()) {
            return state.tailMap(startKey, true);
        }
        if (KeyOrder.INSTANCE.compare(startKey, endKey) >= 0) {
            return Collections.emptyNavigableMap();
        }
        return state.subMap(startKey, true, endKey, false);
    }

    /** History of a key, oldest first. */
    List<HistoryEntry> history(String key) {
        return history.getOrDefault(key, List.of());
    }

    SortedMap<String, byte[]> values() {
        var values = new TreeMap<String, byte[]>(KeyOrder.INSTANCE);
        state.forEach((key, entry) -> values.put(key, entry.value().clone()));
        return values;
    }

    /**
     * MVCC validation as the committing peer does it: every key read must still have the version read, and every
     * range scanned must still hold exactly the keys and versions seen.
     */
    TxValidationCode validate(Map<String, Long> reads, List<RangeRead> rangeReads) {
        for (var read : reads.entrySet()) {
            if (version(read.getKey()) != read.getValue()) {
                return TxValidationCode.MVCC_READ_CONFLICT;
            }
        }
        for (var rangeRead : rangeReads) {
            var now = new ArrayList<Map.Entry<String, Long>>();
            range(rangeRead.startKey(), rangeRead.endKey())
                    .forEach((key, entry) -> now.add(Map.entry(key, entry.version())));
            if (!now.equals(rangeRead.seen())) {
                return TxValidationCode.PHANTOM_READ_CONFLICT;
            }
        }
        return TxValidationCode.VALID;
    }

    /**
     * Applies a valid transaction's write set, with the peer's rules for state metadata: a delete removes the
     * value and its metadata; a value write without a metadata write keeps the committed metadata; a
     * metadata-only write to a key that does not exist is dropped. Every write and delete goes to history;
     * metadata-only writes do not.
     */
    CommittedState apply(String txId, Instant timestamp,
                         SortedMap<String, Optional<byte[]>> writes,
                         SortedMap<String, byte[]> validationParameterWrites) {
        long newHeight = height + 1;
        var newState = new TreeMap<>(state);
        var newHistory = new HashMap<>(history);
        var keys = new TreeSet<>(KeyOrder.INSTANCE);
        keys.addAll(writes.keySet());
        keys.addAll(validationParameterWrites.keySet());
        for (var key : keys) {
            var write = writes.get(key);
            var parameter = validationParameterWrites.get(key);
            var committed = state.get(key);
            if (write != null && write.isEmpty()) {
                newState.remove(key);
            } else if (write != null) {
                var keptParameter = parameter != null ? parameter
                        : committed == null ? null : committed.validationParameter();
                newState.put(key, new Entry(write.get(), newHeight, keptParameter));
            } else if (committed != null) {
                newState.put(key, new Entry(committed.value(), newHeight, parameter));
            }
            if (write != null) {
                var keyHistory = new ArrayList<>(history.getOrDefault(key, List.of()));
                keyHistory.add(new HistoryEntry(txId, timestamp, write.orElse(new byte[0]), write.isEmpty()));
                newHistory.put(key, List.copyOf(keyHistory));
            }
        }
        return new CommittedState(newHeight, Collections.unmodifiableNavigableMap(newState),
                Collections.unmodifiableMap(newHistory));
    }
}
