package io.gridledger.devnet.ledger.state;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs one transaction proposal against committed state and records its read-write set, with the semantics of
 * Fabric's {@code lockBasedTxSimulator}: reads see committed state only (not the transaction's own writes),
 * the first read of a key records its version, a write of an empty value is a delete, range queries record
 * what they returned for phantom detection (each distinct query once), and paginated queries and writes exclude each
 * other, with Fabric's messages (typo included).
 *
 * <p>Not thread-safe: one simulation is driven by one chaincode stream. Close it to release the state lock.
 */
public final class TxSimulator implements AutoCloseable {

    private final WorldState state;
    private final String txId;
    private final Map<String, Namespace> namespaces = new TreeMap<>(KeyOrder.INSTANCE);
    private final long stamp;
    private boolean paginated;
    private boolean closed;

    public TxSimulator(WorldState state, String txId) {
        this.state = state;
        this.txId = txId;
        this.stamp = state.beginSimulation();
    }

    public String txId() {
        return txId;
    }

    public Optional<ByteString> getState(String namespace, String key) {
        var current = state.get(namespace, key);
        ns(namespace).reads.putIfAbsent(key, Optional.ofNullable(current.map(VersionedValue::version).orElse(null)));
        return current.map(VersionedValue::value);
    }

    public SortedMap<String, ByteString> getStateMetadata(String namespace, String key) {
        var current = state.get(namespace, key);
        ns(namespace).reads.putIfAbsent(key, Optional.ofNullable(current.map(VersionedValue::version).orElse(null)));
        return current.map(VersionedValue::metadata).orElse(new TreeMap<>());
    }

    public void putState(String namespace, String key, ByteString value) {
        requireWritable();
        ns(namespace).writes.put(key, value);
    }

    public void deleteState(String namespace, String key) {
        putState(namespace, key, ByteString.EMPTY);
    }

    /** Replaces the key's metadata with the single entry {@code name → value}, as Fabric's handler does. */
    public void setStateMetadata(String namespace, String key, String name, ByteString value) {
        requireWritable();
        var entries = new TreeMap<String, ByteString>();
        entries.put(name, value);
        ns(namespace).metadataWrites.put(key, entries);
    }

    /**
     * Opens a range scan over [start, end) ({@code end} empty = to the end). With {@code pageSize > 0} the scan
     * is paginated: it starts at {@code bookmark} when one is given and stops after {@code pageSize} results.
     */
    public RangeScan range(String namespace, String start, String end, int pageSize, String bookmark) {
        if (pageSize > 0) {
            if (hasWrites()) {
                throw new IllegalStateException("txid [" + txId
                        + "]: unsuppored transaction. Paginated queries are supported only in a read-only transaction");
            }
            paginated = true;
        }
        var from = pageSize > 0 && !bookmark.isEmpty() ? bookmark : start;
        var scan = new RangeScan(state.range(namespace, from, end, false), from, end, pageSize);
        ns(namespace).ranges.add(scan);
        return scan;
    }

    /** The key's committed history, newest first. History queries are not part of the read-write set. */
    public java.util.List<HistoryEntry> history(String namespace, String key) {
        return state.history(namespace, key);
    }

    /** Keys this transaction writes (values or metadata), per namespace, in key order. */
    public Map<String, TreeSet<String>> writtenKeys() {
        var result = new TreeMap<String, TreeSet<String>>(KeyOrder.INSTANCE);
        namespaces.forEach((name, ns) -> {
            var keys = new TreeSet<String>(KeyOrder.INSTANCE);
            keys.addAll(ns.writes.keySet());
            keys.addAll(ns.metadataWrites.keySet());
            if (!keys.isEmpty()) {
                result.put(name, keys);
            }
        });
        return result;
    }

    /** The read-write set, with namespaces and keys in Fabric's (byte) order. */
    public TxReadWriteSet results() {
        var rwset = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
        namespaces.forEach((name, ns) -> {
            var kv = KVRWSet.newBuilder();
            ns.reads.forEach((key, version) -> {
                var read = KVRead.newBuilder().setKey(key);
                version.ifPresent(v -> read.setVersion(v.toProto()));
                kv.addReads(read);
            });
            var recorded = new HashSet<RangeKey>();
            ns.ranges.stream().map(RangeScan::info).filter(info -> recorded.add(RangeKey.of(info)))
                    .forEach(kv::addRangeQueriesInfo);
            ns.writes.forEach((key, value) -> kv.addWrites(
                    KVWrite.newBuilder().setKey(key).setIsDelete(value.isEmpty()).setValue(value)));
            ns.metadataWrites.forEach((key, entries) -> {
                var write = KVMetadataWrite.newBuilder().setKey(key);
                entries.forEach((entryName, value) ->
                        write.addEntries(KVMetadataEntry.newBuilder().setName(entryName).setValue(value)));
                kv.addMetadataWrites(write);
            });
            rwset.addNsRwset(NsReadWriteSet.newBuilder().setNamespace(name).setRwset(kv.build().toByteString()));
        });
        return rwset.build();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            state.endSimulation(stamp);
        }
    }

    private boolean hasWrites() {
        return namespaces.values().stream().anyMatch(ns -> !ns.writes.isEmpty() || !ns.metadataWrites.isEmpty());
    }

    private void requireWritable() {
        if (paginated) {
            throw new IllegalStateException("txid [" + txId
                    + "]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed");
        }
    }

    private Namespace ns(String namespace) {
        return namespaces.computeIfAbsent(namespace, n -> new Namespace());
    }

    private static final class Namespace {
        final Map<String, Optional<Version>> reads = new TreeMap<>(KeyOrder.INSTANCE);
        final Map<String, ByteString> writes = new TreeMap<>(KeyOrder.INSTANCE);
        final Map<String, SortedMap<String, ByteString>> metadataWrites = new TreeMap<>(KeyOrder.INSTANCE);
        final List<RangeScan> ranges = new ArrayList<>();
    }

    /**
     * An open range query; every result it hands out is recorded for phantom-read validation, as Fabric's
     * {@code resultsItr} records it: the end key is the last key handed out until a {@link #next()} call finds the
     * range exhausted, which records the query's own end key. A paginated scan stops at its page size without
     * becoming exhausted, since Fabric's handler does not ask its iterator for more than a page.
     */
    public static final class RangeScan {
        private final Iterator<Map.Entry<String, VersionedValue>> cursor;
        private final String startKey;
        private final String endKey;
        private final int pageSize;
        private final List<KVRead> reads = new ArrayList<>();
        /** The next entry in the range, not yet handed out; null when the range has no more. */
        private Map.Entry<String, VersionedValue> lookahead;
        private String lastKey;
        private boolean exhausted;
        private boolean closed;

        RangeScan(NavigableMap<String, VersionedValue> snapshot, String startKey, String endKey, int pageSize) {
            this.cursor = snapshot.entrySet().iterator();
            this.startKey = startKey;
            this.endKey = endKey;
            this.pageSize = pageSize;
            this.lookahead = advance();
        }

        /** The next key and value, or empty when the range (or the page) is exhausted. */
        public Optional<Map.Entry<String, VersionedValue>> next() {
            if (closed || (pageSize > 0 && reads.size() >= pageSize)) {
                return Optional.empty();
            }
            if (lookahead == null) {
                exhausted = true;
                return Optional.empty();
            }
            var entry = lookahead;
            lookahead = advance();
            lastKey = entry.getKey();
            reads.add(KVRead.newBuilder().setKey(entry.getKey()).setVersion(entry.getValue().version().toProto()).build());
            return Optional.of(entry);
        }

        /** For a paginated scan: the key the next page starts at, or empty when nothing is left. */
        public String bookmark() {
            return lookahead == null ? "" : lookahead.getKey();
        }

        public int returned() {
            return reads.size();
        }

        public void close() {
            closed = true;
        }

        private Map.Entry<String, VersionedValue> advance() {
            return cursor.hasNext() ? cursor.next() : null;
        }

        RangeQueryInfo info() {
            var info = RangeQueryInfo.newBuilder().setStartKey(startKey).setItrExhausted(exhausted)
                    .setEndKey(exhausted ? endKey : lastKey == null ? "" : lastKey);
            if (!reads.isEmpty()) {
                info.setRawReads(QueryReads.newBuilder().addAllKvReads(reads));
            }
            return info.build();
        }
    }

    /** What identifies a range query in Fabric's read-write set builder, which records each one once. */
    private record RangeKey(String startKey, String endKey, boolean exhausted) {
        static RangeKey of(RangeQueryInfo info) {
            return new RangeKey(info.getStartKey(), info.getEndKey(), info.getItrExhausted());
        }
    }
}
