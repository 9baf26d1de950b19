package io.gridledger.chaincode.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import org.hyperledger.fabric.contract.ContractRuntimeException;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An in-memory {@link ChaincodeStub} for one transaction that behaves like a Fabric 2.5 peer with a LevelDB state
 * database talking to the Java shim. Get one from {@link TestLedger#newStub} (or let {@link TestLedger#submit}
 * drive the real {@code ContractRouter} with it).
 *
 * <p>What it mirrors, because contract code that works here must work on a peer:
 * <ul>
 *   <li><b>No read-your-writes.</b> Reads ({@code getState}, ranges, history, validation parameters) see the state
 *       committed when the transaction started; writes are buffered in a write set where the last write to a key
 *       wins and {@code delState} records a delete.</li>
 *   <li><b>{@code getState} of a missing key returns an empty array</b>, never {@code null} (the Java shim turns the
 *       peer's nil payload into {@code byte[0]}), and <b>{@code putState(key, new byte[0])} is a delete</b>: the peer
 *       writes a delete marker for an empty value.</li>
 *   <li>Key checks of the shim and peer: {@code null} key or value → {@link NullPointerException}; empty key on
 *       {@code putState}/{@code setStateValidationParameter} → {@link IllegalArgumentException} (neither the shim
 *       nor the peer checks reads or deletes: {@code getState("")} is simply empty); a composite start or
 *       end key in {@code getStateByRange} → the shim's package-private {@code CompositeKeyFormatException}, an
 *       {@link IllegalArgumentException}. A key that is not valid UTF-8 (an unpaired surrogate) is rejected with
 *       {@link IllegalArgumentException} by every read and write; the real Java shim would silently turn it into
 *       {@code '?'} when encoding the protobuf, which is never what the contract meant.</li>
 *   <li>Range queries: {@code ""} start means the shim's {@code U+0001} start key (so composite keys, which start with
 *       {@code U+0000}, never appear), {@code ""} end means unbounded, keys come in UTF-8 byte order, at most
 *       100,000 results (the peer's default {@code totalQueryLimit}). Partial composite keys scan
 *       {@code [prefix, prefix + U+10FFFF)}.</li>
 *   <li>Pagination as the peer does it: the bookmark is the next key to read ({@code ""} when exhausted);
 *       {@code pageSize 0} with an empty bookmark is a plain, unpaginated query; a paginated query after a write,
 *       or a write after a paginated query, fails ("Paginated queries are supported only in a read-only
 *       transaction").</li>
 *   <li>{@code setEvent}: blank names rejected; only the last event is kept.</li>
 *   <li>Peer-side failures surface as the shim surfaces them: a {@link ContractRuntimeException} (the real shim's
 *       message is only "Unsuccessful response received"; here it also carries the peer's reason).</li>
 * </ul>
 * Rich queries, private data and chaincode-to-chaincode calls throw {@link UnsupportedOperationException}: the
 * GridLedger peers use LevelDB (no rich queries) and the contract uses neither collections nor other chaincodes.
 *
 * <p>The stub also records its read set (keys with the versions read, and scanned ranges) so
 * {@link TestLedger#commit(FakeChaincodeStub)} can reject stale transactions with {@code MVCC_READ_CONFLICT} or
 * {@code PHANTOM_READ_CONFLICT}, as a committing peer would.
 */
public final class FakeChaincodeStub implements ChaincodeStub {

    /** What the shim substitutes for an empty start key: keeps composite keys out of simple range queries. */
    static final String UNSPECIFIED_START_KEY = "\u0001";
    /** U+10FFFF, appended to a partial composite key to form the end of its range. */
    static final String MAX_UNICODE_RUNE = "\udbff\udfff";
    /** The peer's default {@code core.ledger.state.totalQueryLimit}. */
    static final int TOTAL_QUERY_LIMIT = 100_000;

    private final CommittedState snapshot;
    private final String channelId;
    private final String chaincodeName;
    private final String txId;
    private final Instant txTimestamp;
    private final Identity creator;
    private final byte[] creatorBytes;
    private final List<byte[]> args;
    private final Map<String, byte[]> transientData;
    private final String peerMspId;
    private final SignedProposal signedProposal;
    private final byte[] binding;

    private final TreeMap<String, Optional<byte[]>> writes = new TreeMap<>(KeyOrder.INSTANCE);
    private final TreeMap<String, byte[]> validationParameterWrites = new TreeMap<>(KeyOrder.INSTANCE);
    private final Map<String, Long> reads = new LinkedHashMap<>();
    private final List<CommittedState.RangeRead> rangeReads = new ArrayList<>();
    private ChaincodeEvent event;
    private boolean writePerformed;
    private boolean paginatedQueryPerformed;

    FakeChaincodeStub(CommittedState snapshot, String channelId, String chaincodeName, String txId,
                      Instant txTimestamp, Identity creator, List<byte[]> args, Map<String, byte[]> transientData,
                      byte[] nonce, String peerMspId) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.chaincodeName = Objects.requireNonNull(chaincodeName, "chaincodeName");
        this.txId = Objects.requireNonNull(txId, "txId");
        this.txTimestamp = Objects.requireNonNull(txTimestamp, "txTimestamp");
        this.creator = Objects.requireNonNull(creator, "creator");
        this.creatorBytes = creator.serialized();
        this.args = args.stream().map(byte[]::clone).toList();
        var transientCopy = new TreeMap<String, byte[]>();
        transientData.forEach((key, value) -> transientCopy.put(key, value.clone()));
        this.transientData = Collections.unmodifiableMap(transientCopy);
        this.peerMspId = Objects.requireNonNull(peerMspId, "peerMspId");
        this.signedProposal = signedProposal(nonce.clone());
        this.binding = binding(nonce, creatorBytes, 0);
    }

    // ---------------------------------------------------------------- invocation

    @Override
    public List<byte[]> getArgs() {
        return args.stream().map(byte[]::clone).toList();
    }

    @Override
    public List<String> getStringArgs() {
        return args.stream().map(arg -> new String(arg, StandardCharsets.UTF_8)).toList();
    }

    @Override
    public String getFunction() {
        return args.isEmpty() ? null : getStringArgs().get(0);
    }

    @Override
    public List<String> getParameters() {
        return getStringArgs().stream().skip(1).toList();
    }

    @Override
    public String getTxId() {
        return txId;
    }

    @Override
    public String getChannelId() {
        return channelId;
    }

    @Override
    public Instant getTxTimestamp() {
        return txTimestamp;
    }

    @Override
    public byte[] getCreator() {
        return creatorBytes.clone();
    }

    @Override
    public Map<String, byte[]> getTransient() {
        var copy = new HashMap<String, byte[]>();
        transientData.forEach((key, value) -> copy.put(key, value.clone()));
        return copy;
    }

    @Override
    public byte[] getBinding() {
        return binding.clone();
    }

    /**
     * A complete proposal as a client would send it: the channel header (endorser transaction, channel, tx id,
     * timestamp, chaincode name), the signature header (creator, nonce), the invocation with its transient data,
     * signed by the creator's private key.
     */
    @Override
    public SignedProposal getSignedProposal() {
        return signedProposal;
    }

    @Override
    public String getMspId() {
        return peerMspId;
    }

    // ---------------------------------------------------------------- state

    @Override
    public byte[] getState(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        requireUtf8(key);
        var entry = snapshot.entry(key);
        reads.putIfAbsent(key, snapshot.version(key));
        return entry.map(e -> e.value().clone()).orElseGet(() -> new byte[0]);
    }

    @Override
    public void putState(String key, byte[] value) {
        validateKey(key);
        Objects.requireNonNull(value, "value cannot be null");
        checkWritePrecondition();
        // The peer stores an empty value as a delete marker (nil and zero-length values are both deletes).
        writes.put(key, value.length == 0 ? Optional.empty() : Optional.of(value.clone()));
    }

    @Override
    public void delState(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        requireUtf8(key);
        checkWritePrecondition();
        writes.put(key, Optional.empty());
    }

    @Override
    public byte[] getStateValidationParameter(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        requireUtf8(key);
        reads.putIfAbsent(key, snapshot.version(key));
        return snapshot.entry(key)
                .map(CommittedState.Entry::validationParameter)
                .map(byte[]::clone)
                .orElse(null);
    }

    @Override
    public void setStateValidationParameter(String key, byte[] value) {
        validateKey(key);
        Objects.requireNonNull(value, "value cannot be null");
        checkWritePrecondition();
        validationParameterWrites.put(key, value.clone());
    }

    // ---------------------------------------------------------------- range queries

    @Override
    public QueryResultsIterator<KeyValue> getStateByRange(String startKey, String endKey) {
        var start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
        var end = endKey == null ? "" : endKey;
        CompositeKey.validateSimpleKeys(start, end);
        return rangeQuery(start, end);
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getStateByRangeWithPagination(
            String startKey, String endKey, int pageSize, String bookmark) {
        var start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
        var end = endKey == null ? "" : endKey;
        CompositeKey.validateSimpleKeys(start, end);
        return paginatedRangeQuery(start, end, pageSize, bookmark);
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String compositeKey) {
        var key = compositeKey.startsWith(CompositeKey.NAMESPACE)
                ? CompositeKey.parseCompositeKey(compositeKey)
                : new CompositeKey(compositeKey);
        return getStateByPartialCompositeKey(key);
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String objectType, String... attributes) {
        return getStateByPartialCompositeKey(new CompositeKey(objectType, attributes));
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(CompositeKey compositeKey) {
        var prefix = partialKeyPrefix(compositeKey);
        return rangeQuery(prefix, prefix + MAX_UNICODE_RUNE);
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getStateByPartialCompositeKeyWithPagination(
            CompositeKey compositeKey, int pageSize, String bookmark) {
        var prefix = partialKeyPrefix(compositeKey);
        return paginatedRangeQuery(prefix, prefix + MAX_UNICODE_RUNE, pageSize, bookmark);
    }

    @Override
    public CompositeKey createCompositeKey(String objectType, String... attributes) {
        return new CompositeKey(objectType, attributes);
    }

    @Override
    public CompositeKey splitCompositeKey(String compositeKey) {
        return CompositeKey.parseCompositeKey(compositeKey);
    }

    /** Committed history of the key, newest first (Fabric 2.x orders it by block and transaction, descending). */
    @Override
    public QueryResultsIterator<KeyModification> getHistoryForKey(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        requireUtf8(key);
        var modifications = new ArrayList<KeyModification>();
        var history = snapshot.history(key);
        for (int i = history.size() - 1; i >= 0; i--) {
            modifications.add(new LedgerKeyModification(history.get(i)));
        }
        return new ListQueryResultsIterator<>(modifications, QueryResponseMetadata.getDefaultInstance());
    }

    // ---------------------------------------------------------------- events

    @Override
    public void setEvent(String name, byte[] payload) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("event name can not be nil string");
        }
        var builder = ChaincodeEvent.newBuilder().setEventName(name);
        if (payload != null) {
            builder.setPayload(ByteString.copyFrom(payload));
        }
        event = builder.build();
    }

    @Override
    public ChaincodeEvent getEvent() {
        return event;
    }

    // ---------------------------------------------------------------- unsupported on GridLedger's peers

    @Override
    public QueryResultsIterator<KeyValue> getQueryResult(String query) {
        throw richQueriesUnsupported("getQueryResult");
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getQueryResultWithPagination(
            String query, int pageSize, String bookmark) {
        throw richQueriesUnsupported("getQueryResultWithPagination");
    }

    @Override
    public Chaincode.Response invokeChaincode(String chaincodeName, List<byte[]> args, String channel) {
        throw new UnsupportedOperationException("invokeChaincode(" + chaincodeName
                + "): chaincode-to-chaincode calls are not supported by this test double; GridLedger is one chaincode");
    }

    @Override
    public byte[] getPrivateData(String collection, String key) {
        throw privateDataUnsupported("getPrivateData");
    }

    @Override
    public byte[] getPrivateDataHash(String collection, String key) {
        throw privateDataUnsupported("getPrivateDataHash");
    }

    @Override
    public byte[] getPrivateDataValidationParameter(String collection, String key) {
        throw privateDataUnsupported("getPrivateDataValidationParameter");
    }

    @Override
    public void putPrivateData(String collection, String key, byte[] value) {
        throw privateDataUnsupported("putPrivateData");
    }

    @Override
    public void setPrivateDataValidationParameter(String collection, String key, byte[] value) {
        throw privateDataUnsupported("setPrivateDataValidationParameter");
    }

    @Override
    public void delPrivateData(String collection, String key) {
        throw privateDataUnsupported("delPrivateData");
    }

    @Override
    public void purgePrivateData(String collection, String key) {
        throw privateDataUnsupported("purgePrivateData");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByRange(String collection, String startKey, String endKey) {
        throw privateDataUnsupported("getPrivateDataByRange");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(String collection, String compositeKey) {
        throw privateDataUnsupported("getPrivateDataByPartialCompositeKey");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
            String collection, CompositeKey compositeKey) {
        throw privateDataUnsupported("getPrivateDataByPartialCompositeKey");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
            String collection, String objectType, String... attributes) {
        throw privateDataUnsupported("getPrivateDataByPartialCompositeKey");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataQueryResult(String collection, String query) {
        throw privateDataUnsupported("getPrivateDataQueryResult");
    }

    // ---------------------------------------------------------------- for the harness and its tests

    /** The transaction's write set in key order: a value for a write, empty for a delete. Copies. */
    public SortedMap<String, Optional<byte[]>> writeSet() {
        var copy = new TreeMap<String, Optional<byte[]>>(KeyOrder.INSTANCE);
        writes.forEach((key, value) -> copy.put(key, value.map(byte[]::clone)));
        return Collections.unmodifiableSortedMap(copy);
    }

    /** The validation parameters (key-level endorsement policies) the transaction set, in key order. Copies. */
    public SortedMap<String, byte[]> validationParameterWriteSet() {
        var copy = new TreeMap<String, byte[]>(KeyOrder.INSTANCE);
        validationParameterWrites.forEach((key, value) -> copy.put(key, value.clone()));
        return Collections.unmodifiableSortedMap(copy);
    }

    /** Hex SHA-256 over the write set and validation parameter writes; equal iff the write sets are byte-identical. */
    public String writeSetDigest() {
        return TxResult.digest(writes, validationParameterWrites);
    }

    /** The identity that created the transaction. */
    public Identity creatorIdentity() {
        return creator;
    }

    CommittedState snapshot() {
        return snapshot;
    }

    Map<String, Long> reads() {
        return Collections.unmodifiableMap(reads);
    }

    List<CommittedState.RangeRead> rangeReads() {
        return Collections.unmodifiableList(rangeReads);
    }

    SortedMap<String, Optional<byte[]>> rawWrites() {
        return Collections.unmodifiableSortedMap(writes);
    }

    SortedMap<String, byte[]> rawValidationParameterWrites() {
        return Collections.unmodifiableSortedMap(validationParameterWrites);
    }

    // ---------------------------------------------------------------- internals

    private ListQueryResultsIterator<KeyValue> rangeQuery(String start, String end) {
        var results = new ArrayList<KeyValue>();
        var seen = new ArrayList<Map.Entry<String, Long>>();
        for (var entry : snapshot.range(start, end).entrySet()) {
            if (results.size() == TOTAL_QUERY_LIMIT) {
                break;
            }
            results.add(new LedgerKeyValue(entry.getKey(), entry.getValue().value()));
            seen.add(Map.entry(entry.getKey(), entry.getValue().version()));
        }
        rangeReads.add(new CommittedState.RangeRead(start, end, List.copyOf(seen)));
        return new ListQueryResultsIterator<>(results, QueryResponseMetadata.getDefaultInstance());
    }

    private ListQueryResultsIterator<KeyValue> paginatedRangeQuery(
            String start, String end, int pageSize, String bookmark) {
        Objects.requireNonNull(bookmark, "bookmark");
        if (pageSize == 0 && bookmark.isEmpty()) {
            // The peer only treats a query as paginated when it has a page size or a bookmark.
            return rangeQuery(start, end);
        }
        if (writePerformed) {
            throw peerError("txid [" + txId + "]: unsuppored transaction. "
                    + "Paginated queries are supported only in a read-only transaction");
        }
        paginatedQueryPerformed = true;
        var from = bookmark.isEmpty() ? start : bookmark;
        int limit = pageSize > 0 && pageSize < TOTAL_QUERY_LIMIT ? pageSize : TOTAL_QUERY_LIMIT;
        var results = new ArrayList<KeyValue>();
        var seen = new ArrayList<Map.Entry<String, Long>>();
        var next = "";
        for (var entry : snapshot.range(from, end).entrySet()) {
            if (results.size() == limit) {
                next = entry.getKey();
                break;
            }
            results.add(new LedgerKeyValue(entry.getKey(), entry.getValue().value()));
            seen.add(Map.entry(entry.getKey(), entry.getValue().version()));
        }
        rangeReads.add(new CommittedState.RangeRead(from, next.isEmpty() ? end : next, List.copyOf(seen)));
        var metadata = QueryResponseMetadata.newBuilder()
                .setFetchedRecordsCount(results.size())
                .setBookmark(next)
                .build();
        return new ListQueryResultsIterator<>(results, metadata);
    }

    private static String partialKeyPrefix(CompositeKey compositeKey) {
        return compositeKey == null
                ? new CompositeKey(UNSPECIFIED_START_KEY).toString()
                : compositeKey.toString();
    }

    private void checkWritePrecondition() {
        if (paginatedQueryPerformed) {
            throw peerError("txid [" + txId + "]: unsuppored transaction. "
                    + "Transaction has already performed a paginated query. Writes are not allowed");
        }
        writePerformed = true;
    }

    private static void validateKey(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be an empty string");
        }
        requireUtf8(key);
    }

    private static void requireUtf8(String key) {
        if (!KeyOrder.isValidUtf8(key)) {
            throw new IllegalArgumentException("key [" + key + "] is not valid UTF-8 (it has an unpaired surrogate)");
        }
    }

    private ContractRuntimeException peerError(String reason) {
        return new ContractRuntimeException(
                String.format("[%-8.8s]Unsuccessful response received. Peer: %s", txId, reason));
    }

    private static UnsupportedOperationException richQueriesUnsupported(String method) {
        return new UnsupportedOperationException(method + ": rich (JSON selector) queries need CouchDB; GridLedger's "
                + "peers use LevelDB, which rejects them. Query by key, range or partial composite key instead.");
    }

    private static UnsupportedOperationException privateDataUnsupported(String method) {
        return new UnsupportedOperationException(method
                + ": GridLedger defines no private data collections; this test double does not support them.");
    }

    private SignedProposal signedProposal(byte[] nonce) {
        var channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(channelId)
                .setTxId(txId)
                .setTimestamp(Timestamp.newBuilder()
                        .setSeconds(txTimestamp.getEpochSecond())
                        .setNanos(txTimestamp.getNano()))
                .setEpoch(0)
                .setExtension(ChaincodeHeaderExtension.newBuilder()
                        .setChaincodeId(ChaincodeID.newBuilder().setName(chaincodeName))
                        .build()
                        .toByteString())
                .build();
        var signatureHeader = SignatureHeader.newBuilder()
                .setCreator(ByteString.copyFrom(creatorBytes))
                .setNonce(ByteString.copyFrom(nonce))
                .build();
        var header = Header.newBuilder()
                .setChannelHeader(channelHeader.toByteString())
                .setSignatureHeader(signatureHeader.toByteString())
                .build();
        var input = ChaincodeInput.newBuilder();
        args.forEach(arg -> input.addArgs(ByteString.copyFrom(arg)));
        var invocation = ChaincodeInvocationSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setType(ChaincodeSpec.Type.JAVA)
                        .setChaincodeId(ChaincodeID.newBuilder().setName(chaincodeName))
                        .setInput(input))
                .build();
        var payload = ChaincodeProposalPayload.newBuilder().setInput(invocation.toByteString());
        transientData.forEach((key, value) -> payload.putTransientMap(key, ByteString.copyFrom(value)));
        var proposal = Proposal.newBuilder()
                .setHeader(header.toByteString())
                .setPayload(payload.build().toByteString())
                .build();
        var proposalBytes = proposal.toByteString();
        return SignedProposal.newBuilder()
                .setProposalBytes(proposalBytes)
                .setSignature(ByteString.copyFrom(creator.sign(proposalBytes.toByteArray())))
                .build();
    }

    /** As the shim computes it: SHA-256(nonce ‖ creator ‖ epoch as 8 little-endian bytes). */
    static byte[] binding(byte[] nonce, byte[] creator, long epoch) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update(nonce);
            digest.update(creator);
            digest.update(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(epoch).array());
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "FakeChaincodeStub[tx " + txId + " by " + creator.mspId() + "/" + creator.name()
                + ", args " + getStringArgs() + ", " + writes.size() + " writes]";
    }
}
