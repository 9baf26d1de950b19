package io.gridledger.devnet.ledger.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The world state and key histories written out and read back whole: what a {@code StateCheckpoint} stores. The
 * caller makes sure no commit runs meanwhile (the ledger's committer thread writes it between two blocks).
 */
public final class StateSnapshot {

    private static final int MAX_VALUE_BYTES = 256 << 20;

    private StateSnapshot() {
    }

    public static void write(WorldState state, DataOutputStream out) throws IOException {
        out.writeInt(state.namespaces.size());
        for (var ns : state.namespaces.entrySet()) {
            writeString(out, ns.getKey());
            var entries = new ArrayList<>(ns.getValue().entrySet());
            out.writeInt(entries.size());
            for (var entry : entries) {
                writeString(out, entry.getKey());
                var value = entry.getValue();
                writeBytes(out, value.value());
                writeVersion(out, value.version());
                out.writeInt(value.metadata().size());
                for (var meta : value.metadata().entrySet()) {
                    writeString(out, meta.getKey());
                    writeBytes(out, meta.getValue());
                }
            }
        }
        out.writeInt(state.history.size());
        for (var keyed : state.history.entrySet()) {
            writeString(out, keyed.getKey());
            var list = keyed.getValue();
            synchronized (list) {
                out.writeInt(list.size());
                for (var entry : list) {
                    writeString(out, entry.txId());
                    writeBytes(out, entry.value());
                    out.writeLong(entry.timestamp().getSeconds());
                    out.writeInt(entry.timestamp().getNanos());
                    out.writeBoolean(entry.isDelete());
                    writeVersion(out, entry.version());
                }
            }
        }
    }

    /** A world state holding what {@link #write} wrote. */
    public static WorldState read(DataInputStream in) throws IOException {
        var state = new WorldState();
        int namespaces = count(in);
        for (int n = 0; n < namespaces; n++) {
            var ns = new ConcurrentSkipListMap<String, VersionedValue>(KeyOrder.INSTANCE);
            state.namespaces.put(readString(in), ns);
            int keys = count(in);
            for (int k = 0; k < keys; k++) {
                var key = readString(in);
                var value = readBytes(in);
                var version = readVersion(in);
                int metas = count(in);
                var metadata = new TreeMap<String, ByteString>();
                for (int m = 0; m < metas; m++) {
                    metadata.put(readString(in), readBytes(in));
                }
                ns.put(key, new VersionedValue(value, version, metadata));
            }
        }
        int histories = count(in);
        for (int h = 0; h < histories; h++) {
            var key = readString(in);
            int size = count(in);
            var list = new ArrayList<HistoryEntry>(size);
            for (int i = 0; i < size; i++) {
                var txId = readString(in);
                var value = readBytes(in);
                var timestamp = Timestamp.newBuilder().setSeconds(in.readLong()).setNanos(in.readInt()).build();
                boolean delete = in.readBoolean();
                list.add(new HistoryEntry(txId, value, timestamp, delete, readVersion(in)));
            }
            state.history.put(key, list);
        }
        return state;
    }

    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative count " + count);
        }
        return count;
    }

    private static void writeVersion(DataOutputStream out, Version version) throws IOException {
        out.writeLong(version.blockNum());
        out.writeLong(version.txNum());
    }

    private static Version readVersion(DataInputStream in) throws IOException {
        return new Version(in.readLong(), in.readLong());
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, ByteString.copyFrom(value, StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        return readBytes(in).toStringUtf8();
    }

    private static void writeBytes(DataOutputStream out, ByteString value) throws IOException {
        out.writeInt(value.size());
        value.writeTo(out);
    }

    private static ByteString readBytes(DataInputStream in) throws IOException {
        int length = count(in);
        if (length > MAX_VALUE_BYTES) {
            throw new IOException("a value of " + length + " bytes: longer than any value a block can carry");
        }
        var bytes = new byte[length];
        in.readFully(bytes);
        return ByteString.copyFrom(bytes);
    }
}
