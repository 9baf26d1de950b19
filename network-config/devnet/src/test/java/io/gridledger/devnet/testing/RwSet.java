package io.gridledger.devnet.testing;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.ledger.state.Version;
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
import java.util.List;
import java.util.Map;

/**
 * A Fabric read-write set written by hand, entry by entry and in the order given (so a test can also write one that
 * no simulator would, e.g. with a namespace twice):
 *
 * <pre>{@code
 * TxReadWriteSet rwset = RwSet.in("gridledger").read("asset-1", new Version(3, 0)).write("asset-1", "{...}")
 *         .and("other-chaincode").write("x", "y").build();
 * }</pre>
 */
public final class RwSet {

    private final List<Map.Entry<String, KVRWSet.Builder>> namespaces = new ArrayList<>();

    private RwSet() {
    }

    /** A read-write set whose first namespace is {@code namespace}. */
    public static RwSet in(String namespace) {
        return new RwSet().and(namespace);
    }

    /** Starts another namespace entry (a second one of the same name, if asked). */
    public RwSet and(String namespace) {
        namespaces.add(Map.entry(namespace, KVRWSet.newBuilder()));
        return this;
    }

    /** A read of {@code key} at {@code version}; null means the key did not exist. */
    public RwSet read(String key, Version version) {
        current().addReads(read(KVRead.newBuilder().setKey(key), version));
        return this;
    }

    public RwSet write(String key, String value) {
        current().addWrites(KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)));
        return this;
    }

    public RwSet delete(String key) {
        current().addWrites(KVWrite.newBuilder().setKey(key).setIsDelete(true));
        return this;
    }

    /** A metadata write setting the key's metadata to the single entry {@code name → value}. */
    public RwSet metadata(String key, String name, ByteString value) {
        current().addMetadataWrites(KVMetadataWrite.newBuilder().setKey(key)
                .addEntries(KVMetadataEntry.newBuilder().setName(name).setValue(value)));
        return this;
    }

    /**
     * A range query over [start, end) that returned {@code results} (key → version, in order), with the iterator
     * exhausted or not, as a simulator records it.
     */
    public RwSet range(String start, String end, boolean exhausted, Map<String, Version> results) {
        var reads = QueryReads.newBuilder();
        results.forEach((key, version) -> reads.addKvReads(read(KVRead.newBuilder().setKey(key), version)));
        current().addRangeQueriesInfo(RangeQueryInfo.newBuilder().setStartKey(start).setEndKey(end)
                .setItrExhausted(exhausted).setRawReads(reads));
        return this;
    }

    public TxReadWriteSet build() {
        var rwset = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
        namespaces.forEach(ns -> rwset.addNsRwset(NsReadWriteSet.newBuilder().setNamespace(ns.getKey())
                .setRwset(ns.getValue().build().toByteString())));
        return rwset.build();
    }

    private KVRWSet.Builder current() {
        return namespaces.get(namespaces.size() - 1).getValue();
    }

    private static KVRead.Builder read(KVRead.Builder read, Version version) {
        return version == null ? read : read.setVersion(version.toProto());
    }
}
