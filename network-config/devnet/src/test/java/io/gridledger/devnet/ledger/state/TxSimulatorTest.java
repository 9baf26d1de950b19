package io.gridledger.devnet.ledger.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulator's read-write sets, checked against what Fabric 2.5's {@code txmgr.txSimulator} and
 * {@code rwsetutil.RWSetBuilder} record for the same calls (core/ledger/kvledger/txmgmt/txmgr, rwsetutil).
 */
class TxSimulatorTest {

    private static final String NS = "gridledger";
    private static final String TX = "tx-under-test";

    private final WorldState state = new WorldState();
    private final List<TxSimulator> open = new ArrayList<>();

    @AfterEach
    void closeSimulators() {
        open.forEach(TxSimulator::close);
    }

    @Nested
    class Reads {

        @Test
        void see_committed_state_and_not_the_transactions_own_writes() {
            commit(1, "asset-1", "committed");
            var sim = simulate();

            sim.putState(NS, "asset-1", utf8("mine"));
            sim.putState(NS, "asset-2", utf8("new"));

            assertThat(sim.getState(NS, "asset-1")).contains(utf8("committed"));
            assertThat(sim.getState(NS, "asset-2")).isEmpty();
            var rwset = kv(sim);
            assertThat(rwset.getReadsList()).containsExactly(read("asset-1", 1, 0), read("asset-2"));
            assertThat(rwset.getWritesList()).extracting(KVWrite::getKey).containsExactly("asset-1", "asset-2");
        }

        @Test
        void record_a_key_once_with_the_version_it_had_when_first_read() {
            commit(4, "asset-1", "v");
            var sim = simulate();

            sim.getState(NS, "asset-1");
            sim.getStateMetadata(NS, "asset-1");
            sim.getState(NS, "asset-1");

            assertThat(kv(sim).getReadsList()).containsExactly(read("asset-1", 4, 0));
        }

        @Test
        void of_a_missing_key_are_recorded_without_a_version() {
            var sim = simulate();

            assertThat(sim.getState(NS, "nothing-here")).isEmpty();

            assertThat(kv(sim).getReadsList()).singleElement().satisfies(read -> {
                assertThat(read.getKey()).isEqualTo("nothing-here");
                assertThat(read.hasVersion()).isFalse();
            });
        }

        @Test
        void of_metadata_return_the_committed_entries_and_count_as_a_read_of_the_key() {
            commit(2, "asset-1", "v");
            var batch = new UpdateBatch(state);
            batch.putMetadata(NS, "asset-1", new java.util.TreeMap<>(Map.of(VersionedValue.VALIDATION_PARAMETER, utf8("policy"))),
                    new Version(3, 0));
            state.commit(batch);
            var sim = simulate();

            assertThat(sim.getStateMetadata(NS, "asset-1")).containsEntry(VersionedValue.VALIDATION_PARAMETER, utf8("policy"));
            assertThat(sim.getStateMetadata(NS, "no-such-key")).isEmpty();
            assertThat(kv(sim).getReadsList()).containsExactly(read("asset-1", 3, 0), read("no-such-key"));
        }
    }

    @Nested
    class Writes {

        @Test
        void keep_the_last_value_per_key_in_key_order() {
            var sim = simulate();

            sim.putState(NS, "b", utf8("1"));
            sim.putState(NS, "a", utf8("2"));
            sim.putState(NS, "b", utf8("3"));

            assertThat(kv(sim).getWritesList()).containsExactly(
                    KVWrite.newBuilder().setKey("a").setValue(utf8("2")).build(),
                    KVWrite.newBuilder().setKey("b").setValue(utf8("3")).build());
            assertThat(kv(sim).getReadsCount()).isZero();
        }

        @Test
        void a_delete_is_a_write_marked_as_delete_without_a_value() {
            commit(1, "asset-1", "v");
            var sim = simulate();

            sim.deleteState(NS, "asset-1");

            assertThat(kv(sim).getWritesList()).containsExactly(KVWrite.newBuilder().setKey("asset-1").setIsDelete(true).build());
        }

        @Test
        void a_metadata_write_replaces_the_keys_metadata_with_one_entry_and_reads_nothing() {
            var sim = simulate();

            sim.setStateMetadata(NS, "asset-1", "first", utf8("x"));
            sim.setStateMetadata(NS, "asset-1", VersionedValue.VALIDATION_PARAMETER, utf8("policy"));

            var rwset = kv(sim);
            assertThat(rwset.getMetadataWritesList()).singleElement().satisfies(write -> {
                assertThat(write.getKey()).isEqualTo("asset-1");
                assertThat(write.getEntriesList()).containsExactly(KVMetadataEntry.newBuilder()
                        .setName(VersionedValue.VALIDATION_PARAMETER).setValue(utf8("policy")).build());
            });
            assertThat(rwset.getReadsCount()).isZero();
            assertThat(rwset.getWritesCount()).isZero();
            assertThat(sim.writtenKeys()).containsEntry(NS, new java.util.TreeSet<>(List.of("asset-1")));
        }
    }

    @Nested
    class RangeQueries {

        @Test
        void return_keys_from_start_inclusive_to_end_exclusive() {
            commit(1, "a", "1", "b", "2", "c", "3", "d", "4");
            var sim = simulate();

            assertThat(drain(sim.range(NS, "b", "d", 0, ""))).containsExactly("b", "c");
        }

        @Test
        void an_exhausted_iterator_records_the_query_end_key_and_every_result() {
            commit(1, "a", "1", "b", "2", "c", "3");
            var sim = simulate();

            drain(sim.range(NS, "a", "z", 0, ""));

            assertRecorded(info(sim), "a", "z", true, "a", "b", "c");
            assertThat(info(sim).getRawReads().getKvReadsList())
                    .containsExactly(read("a", 1, 0), read("b", 1, 1), read("c", 1, 2));
            assertThat(kv(sim).getReadsCount()).as("range results are not point reads").isZero();
        }

        @Test
        void an_iterator_left_midway_records_the_last_key_returned_as_end_key() {
            commit(1, "a", "1", "b", "2", "c", "3");
            var sim = simulate();

            var scan = sim.range(NS, "a", "z", 0, "");
            scan.next();
            scan.next();

            assertRecorded(info(sim), "a", "b", false, "a", "b");
        }

        @Test
        void an_iterator_is_exhausted_only_once_a_next_call_finds_nothing() {
            // Fabric sets ItrExhausted when Next() returns nil, not when the last result is handed out.
            commit(1, "a", "1", "b", "2");
            var sim = simulate();

            var scan = sim.range(NS, "a", "z", 0, "");
            scan.next();
            scan.next();

            assertRecorded(info(sim), "a", "b", false, "a", "b");
            assertThat(scan.next()).isEmpty();
            assertRecorded(info(sim), "a", "z", true, "a", "b");
        }

        @Test
        void an_iterator_never_advanced_records_an_empty_end_key_as_fabric_does() {
            commit(1, "a", "1");
            var sim = simulate();

            sim.range(NS, "a", "z", 0, "");

            assertRecorded(info(sim), "a", "", false);
        }

        @Test
        void an_empty_range_records_an_exhausted_query_without_reads() {
            commit(1, "a", "1");
            var sim = simulate();

            assertThat(drain(sim.range(NS, "m", "n", 0, ""))).isEmpty();

            assertRecorded(info(sim), "m", "n", true);
            assertThat(info(sim).getReadsInfoCase()).as("Fabric sets no reads info when nothing was read")
                    .isEqualTo(RangeQueryInfo.ReadsInfoCase.READSINFO_NOT_SET);
        }

        @Test
        void the_same_query_run_twice_is_recorded_once() {
            commit(1, "a", "1", "b", "2");
            var sim = simulate();

            drain(sim.range(NS, "a", "c", 0, ""));
            drain(sim.range(NS, "a", "c", 0, ""));
            drain(sim.range(NS, "b", "c", 0, ""));

            assertThat(kv(sim).getRangeQueriesInfoList()).extracting(RangeQueryInfo::getStartKey).containsExactly("a", "b");
        }

        @Test
        void an_unbounded_end_key_scans_to_the_last_key() {
            commit(1, "a", "1", "b", "2");
            var sim = simulate();

            assertThat(drain(sim.range(NS, "b", "", 0, ""))).containsExactly("b");
            assertThat(info(sim).getEndKey()).isEmpty();
        }
    }

    @Nested
    class PaginatedRangeQueries {

        @Test
        void return_a_page_and_the_bookmark_of_the_next_one() {
            commit(1, "a", "1", "b", "2", "c", "3", "d", "4");
            var sim = simulate();

            var scan = sim.range(NS, "a", "z", 2, "");

            assertThat(drain(scan)).containsExactly("a", "b");
            assertThat(scan.bookmark()).isEqualTo("c");
            assertRecorded(info(sim), "a", "b", false, "a", "b");
        }

        @Test
        void start_at_the_bookmark_which_becomes_the_recorded_start_key() {
            commit(1, "a", "1", "b", "2", "c", "3", "d", "4");
            var sim = simulate();

            var scan = sim.range(NS, "a", "z", 3, "c");

            assertThat(drain(scan)).containsExactly("c", "d");
            assertThat(scan.bookmark()).isEmpty();
            assertRecorded(info(sim), "c", "z", true, "c", "d");
        }

        @Test
        void a_full_page_that_ends_the_range_is_not_recorded_as_exhausted() {
            // Fabric's handler stops calling Next() once the page is full, so the iterator never reports exhaustion.
            commit(1, "a", "1", "b", "2");
            var sim = simulate();

            var scan = sim.range(NS, "a", "z", 2, "");

            assertThat(drain(scan)).containsExactly("a", "b");
            assertThat(scan.bookmark()).isEmpty();
            assertRecorded(info(sim), "a", "b", false, "a", "b");
        }

        @Test
        void are_refused_after_a_write_with_fabrics_message() {
            var sim = simulate();
            sim.putState(NS, "a", utf8("1"));

            assertThatThrownBy(() -> sim.range(NS, "a", "z", 2, ""))
                    .hasMessage("txid [" + TX + "]: unsuppored transaction. Paginated queries are supported only in a read-only transaction");
        }

        @Test
        void forbid_later_writes_with_fabrics_message() {
            var sim = simulate();
            sim.range(NS, "a", "z", 2, "");

            assertThatThrownBy(() -> sim.putState(NS, "a", utf8("1")))
                    .hasMessage("txid [" + TX + "]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed");
            assertThatThrownBy(() -> sim.setStateMetadata(NS, "a", "k", utf8("v")))
                    .hasMessageContaining("Writes are not allowed");
        }
    }

    @Nested
    class KeyOrdering {

        @Test
        void keys_are_ordered_by_code_point_not_by_utf16_unit() {
            // U+1F600 is stored as the surrogates D83D DE00: String.compareTo would put it before U+E000.
            String privateUse = "\uE000";
            String emoji = "\uD83D\uDE00";
            commit(1, emoji, "1", privateUse, "2");
            var sim = simulate();

            sim.putState(NS, emoji, utf8("x"));
            sim.putState(NS, privateUse, utf8("y"));
            sim.getState(NS, emoji);
            sim.getState(NS, privateUse);

            assertThat(kv(sim).getWritesList()).extracting(KVWrite::getKey).containsExactly(privateUse, emoji);
            assertThat(kv(sim).getReadsList()).extracting(KVRead::getKey).containsExactly(privateUse, emoji);
            assertThat(drain(sim.range(NS, "", "", 0, ""))).containsExactly(privateUse, emoji);
        }

        @Test
        void composite_keys_live_below_simple_keys_and_a_partial_key_range_finds_them_in_code_point_order() {
            var jobA = composite("Job", "a");
            var jobEmoji = composite("Job", "\uD83D\uDE00");
            var jobPrivate = composite("Job", "\uE000");
            var offer = composite("Offer", "a");
            commit(1, "job-1", "simple", jobEmoji, "2", offer, "3", jobA, "1", jobPrivate, "4");
            var sim = simulate();

            // The shim scans simple keys from U+0001 and a partial composite key up to its prefix + U+10FFFF.
            assertThat(drain(sim.range(NS, "\u0001", "", 0, ""))).containsExactly("job-1");
            var prefix = "\u0000Job\u0000";
            assertThat(drain(sim.range(NS, prefix, prefix + "\uDBFF\uDFFF", 0, "")))
                    .containsExactly(jobA, jobPrivate, jobEmoji);
        }

        @Test
        void namespaces_are_in_code_point_order() {
            var sim = simulate();

            sim.putState("\uD83D\uDE00-cc", "k", utf8("1"));
            sim.putState("\uE000-cc", "k", utf8("1"));
            sim.putState("a-cc", "k", utf8("1"));

            assertThat(sim.results().getNsRwsetList()).extracting(ns -> ns.getNamespace())
                    .containsExactly("a-cc", "\uE000-cc", "\uD83D\uDE00-cc");
        }
    }

    @Nested
    class History {

        @Test
        void lists_committed_writes_and_deletes_newest_first_and_is_not_recorded_in_the_read_write_set() {
            commit(1, "asset-1", "one");
            commit(2, "asset-1", "two");
            var batch = new UpdateBatch(state);
            batch.delete(NS, "asset-1", new Version(3, 0), "tx-3", time(3));
            state.commit(batch);
            var sim = simulate();

            var history = sim.history(NS, "asset-1");

            assertThat(history).extracting(HistoryEntry::txId).containsExactly("tx-3", "tx-2-0", "tx-1-0");
            assertThat(history).extracting(HistoryEntry::isDelete).containsExactly(true, false, false);
            assertThat(history.get(1).value()).isEqualTo(utf8("two"));
            assertThat(history.get(1).timestamp()).isEqualTo(time(2));
            assertThat(sim.results().getNsRwsetList()).isEmpty();
        }
    }

    private TxSimulator simulate() {
        var sim = new TxSimulator(state, TX);
        open.add(sim);
        return sim;
    }

    /** Commits {@code key, value, key, value…} in block {@code block}, one transaction per key, in the order given. */
    private void commit(long block, String... keysAndValues) {
        var batch = new UpdateBatch(state);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            batch.put(NS, keysAndValues[i], utf8(keysAndValues[i + 1]), new Version(block, i / 2),
                    "tx-" + block + "-" + (i / 2), time(block));
        }
        state.commit(batch);
    }

    private static List<String> drain(TxSimulator.RangeScan scan) {
        var keys = new ArrayList<String>();
        for (var next = scan.next(); next.isPresent(); next = scan.next()) {
            keys.add(next.get().getKey());
        }
        return keys;
    }

    private static KVRWSet kv(TxSimulator sim) {
        var namespaces = new LinkedHashMap<String, KVRWSet>();
        try {
            for (var ns : sim.results().getNsRwsetList()) {
                namespaces.put(ns.getNamespace(), KVRWSet.parseFrom(ns.getRwset()));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        assertThat(namespaces).containsOnlyKeys(NS);
        return namespaces.get(NS);
    }

    private static RangeQueryInfo info(TxSimulator sim) {
        var infos = kv(sim).getRangeQueriesInfoList();
        assertThat(infos).hasSize(1);
        return infos.get(0);
    }

    private static void assertRecorded(RangeQueryInfo info, String start, String end, boolean exhausted, String... keys) {
        assertThat(info.getStartKey()).as("start key").isEqualTo(start);
        assertThat(info.getEndKey()).as("end key").isEqualTo(end);
        assertThat(info.getItrExhausted()).as("iterator exhausted").isEqualTo(exhausted);
        assertThat(info.getRawReads().getKvReadsList()).extracting(KVRead::getKey).containsExactly(keys);
    }

    private static KVRead read(String key, long blockNum, long txNum) {
        return KVRead.newBuilder().setKey(key).setVersion(new Version(blockNum, txNum).toProto()).build();
    }

    private static KVRead read(String key) {
        return KVRead.newBuilder().setKey(key).build();
    }

    private static String composite(String type, String attribute) {
        return "\u0000" + type + "\u0000" + attribute + "\u0000";
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static Timestamp time(long seconds) {
        return Timestamp.newBuilder().setSeconds(seconds).build();
    }
}
