package io.gridledger.chaincode.ledger;

import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One transaction's view of the world state: typed reads and writes over the chaincode stub.
 *
 * <p>Fabric does not let a transaction read its own writes: {@code getState} after {@code putState}
 * returns the committed value. This class keeps the transaction's writes and answers reads from them
 * first, so domain code can credit the same account twice in one transaction and see both. Range scans
 * skip keys this transaction deleted and return its newer values (keys it added are not seen by scans).
 */
public final class LedgerState {

    private final ChaincodeStub stub;
    private final Map<String, Optional<byte[]>> written = new HashMap<>();
    private String eventName;

    public LedgerState(ChaincodeStub stub) {
        this.stub = Objects.requireNonNull(stub, "stub");
    }

    /** The transaction's timestamp in epoch seconds: the only clock endorsers agree on. */
    public long now() {
        return stub.getTxTimestamp().getEpochSecond();
    }

    public String txId() {
        return stub.getTxId();
    }

    /**
     * The MSP ID of the peer this chaincode instance serves ({@code CORE_PEER_LOCALMSPID} of the chaincode
     * process), or empty when the process was not told: each member org runs its own chaincode server.
     */
    public Optional<String> peerMspId() {
        try {
            return Optional.ofNullable(stub.getMspId()).filter(id -> !id.isBlank());
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The proposal's timestamp as the client wrote it. */
    public java.time.Instant timestamp() {
        return stub.getTxTimestamp();
    }

    public Optional<byte[]> getRaw(String key) {
        var own = written.get(key);
        if (own != null) {
            return own;
        }
        var bytes = stub.getState(key);
        return bytes == null || bytes.length == 0 ? Optional.empty() : Optional.of(bytes);
    }

    /** What this transaction itself wrote to {@code key}, without reading the ledger (so no read is recorded). */
    public Optional<byte[]> getOwnWrite(String key) {
        var own = written.get(key);
        return own == null ? Optional.empty() : own;
    }

    public <T> Optional<T> get(String key, Class<T> type) {
        return getRaw(key).map(bytes -> Json.read(bytes, type));
    }

    public boolean exists(String key) {
        return getRaw(key).isPresent();
    }

    public void put(String key, Object value) {
        putRaw(key, Json.toBytes(value));
    }

    public void putRaw(String key, byte[] value) {
        stub.putState(key, value);
        written.put(key, Optional.of(value));
    }

    /** Writes an index entry: the key is the information, the value a placeholder byte. */
    public void putMarker(String key) {
        putRaw(key, new byte[] {0});
    }

    public void delete(String key) {
        stub.delState(key);
        written.put(key, Optional.empty());
    }

    /** Sets the key-level endorsement policy (state-based endorsement) of {@code key}. */
    public void setEndorsementPolicy(String key, byte[] policy) {
        stub.setStateValidationParameter(key, policy);
    }

    public Optional<byte[]> endorsementPolicy(String key) {
        return Optional.ofNullable(stub.getStateValidationParameter(key)).filter(p -> p.length > 0);
    }

    /**
     * Lazily iterates the entries under a composite key prefix, in key order. Stop early to read less:
     * Fabric validates a range read only up to the last key the transaction actually read.
     */
    public <T> Iterable<T> scan(String partialCompositeKey, Function<KeyValue, T> mapper) {
        return () -> new OverlayIterator<>(stub.getStateByPartialCompositeKey(CompositeKey.parseCompositeKey(partialCompositeKey)).iterator(), mapper);
    }

    /** One page of entries under a composite key prefix, for queries. */
    public Page page(String partialCompositeKey, int pageSize, String bookmark) {
        var results = stub.getStateByPartialCompositeKeyWithPagination(
                CompositeKey.parseCompositeKey(partialCompositeKey), pageSize, bookmark == null ? "" : bookmark);
        var entries = new ArrayList<KeyValue>();
        results.forEach(entries::add);
        var metadata = results.getMetadata();
        return new Page(entries, metadata == null ? "" : metadata.getBookmark());
    }

    /** Every committed change of {@code key}, as Fabric's history database returns them (newest first). */
    public List<Change> history(String key) {
        var changes = new ArrayList<Change>();
        for (var modification : stub.getHistoryForKey(key)) {
            changes.add(new Change(key, modification.getTxId(), modification.getTimestamp().getEpochSecond(),
                    modification.isDeleted(), modification.isDeleted() ? null : modification.getValue()));
        }
        return changes;
    }

    /** One committed change of a key. */
    public record Change(String key, String txId, long timestamp, boolean deleted, byte[] value) {
    }

    /** A page of raw entries and the bookmark of the next page ({@code ""} when none). */
    public record Page(List<KeyValue> entries, String bookmark) {
    }

    /**
     * Sets the transaction's chaincode event. Fabric keeps only one event per transaction, so a second
     * call is a programming error, not a silent overwrite.
     */
    public void emit(String name, Object payload) {
        if (eventName != null) {
            throw new IllegalStateException("event " + eventName + " already set; Fabric keeps one event per transaction");
        }
        eventName = name;
        stub.setEvent(name, Json.toBytes(payload));
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private final class OverlayIterator<T> implements Iterator<T> {
        private final Iterator<KeyValue> source;
        private final Function<KeyValue, T> mapper;
        private T next;

        OverlayIterator(Iterator<KeyValue> source, Function<KeyValue, T> mapper) {
            this.source = source;
            this.mapper = mapper;
        }

        @Override
        public boolean hasNext() {
            while (next == null && source.hasNext()) {
                var entry = source.next();
                var own = written.get(entry.getKey());
                if (own == null) {
                    next = mapper.apply(entry);
                } else if (own.isPresent()) {
                    next = mapper.apply(new Entry(entry.getKey(), own.get()));
                }
            }
            return next != null;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            var result = next;
            next = null;
            return result;
        }
    }

    private record Entry(String getKey, byte[] getValue) implements KeyValue {
        @Override
        public String getStringValue() {
            return utf8(getValue);
        }
    }
}
