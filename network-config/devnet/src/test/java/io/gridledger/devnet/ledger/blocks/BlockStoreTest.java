package io.gridledger.devnet.ledger.blocks;

import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockStoreTest {

    @TempDir
    Path dir;

    @Test
    void appended_blocks_are_read_back_in_order_with_the_chain_tip() throws IOException {
        List<Block> chain = Transactions.chain(5, 3);
        try (var store = BlockStore.open(dir)) {
            store.append(chain.get(0));
            store.appendAll(chain.subList(1, 5));

            assertThat(store.height()).isEqualTo(5);
            assertThat(store.block(3)).contains(chain.get(3));
            assertThat(store.block(5)).isEmpty();
            assertThat(store.blocksFrom(2).toList()).containsExactlyElementsOf(chain.subList(2, 5));
            assertThat(store.lastHeaderHash()).isEqualTo(BlockHashes.headerHash(chain.get(4).getHeader()));
            assertThat(store.blockByHash(BlockHashes.headerHash(chain.get(1).getHeader()))).contains(chain.get(1));
        }
    }

    @Test
    void a_block_that_does_not_extend_the_chain_is_refused_and_nothing_is_written() throws IOException {
        List<Block> chain = Transactions.chain(3, 1);
        try (var store = BlockStore.open(dir)) {
            store.append(chain.get(0));
            long size = Files.size(dir.resolve(BlockStore.BLOCK_FILE));

            assertThatThrownBy(() -> store.append(chain.get(2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("should be 1 but is 2");
            Block wrongParent = Transactions.chainFrom(1, new byte[32], 1, 1).get(0);
            assertThatThrownBy(() -> store.append(wrongParent))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("previous hash");
            Block wrongData = chain.get(1).toBuilder().setData(chain.get(2).getData()).build();
            assertThatThrownBy(() -> store.append(wrongData))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data hash");
            assertThatThrownBy(() -> store.appendAll(List.of(chain.get(1), chain.get(1))))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(store.height()).isEqualTo(1);
            assertThat(Files.size(dir.resolve(BlockStore.BLOCK_FILE))).isEqualTo(size);
        }
    }

    @Test
    void blocks_and_the_tx_index_survive_a_clean_close_and_reopen() throws IOException {
        List<Block> chain = Transactions.chain(4, 2);
        Block last = Blocks.withValidationCodes(chain.get(3),
                List.of(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT));
        try (var store = BlockStore.open(dir)) {
            store.appendAll(List.of(chain.get(0), chain.get(1), chain.get(2), last));
        }

        try (var store = BlockStore.open(dir)) {
            assertThat(store.height()).isEqualTo(4);
            assertThat(store.blocksFrom(0).toList()).containsExactly(chain.get(0), chain.get(1), chain.get(2), last);
            assertThat(store.lastHeaderHash()).isEqualTo(BlockHashes.headerHash(last.getHeader()));
            assertThat(store.transaction(txId(last, 1)))
                    .contains(new TxLocation(3, 1, TxValidationCode.MVCC_READ_CONFLICT));
            assertThat(store.transaction(txId(chain.get(1), 0)))
                    .hasValueSatisfying(location -> assertThat(location.isValid()).isTrue());
            assertThat(store.transaction("no-such-tx")).isEmpty();

            store.append(Transactions.chainFrom(4, store.lastHeaderHash(), 1, 1).get(0));
            assertThat(store.height()).isEqualTo(5);
        }
    }

    @Test
    void the_tx_index_keeps_the_first_occurrence_of_a_duplicate_tx_id_and_marks_unvalidated_blocks() throws IOException {
        Envelope tx = Transactions.unsigned(77);
        Block first = Blocks.create(0, new byte[0], List.of(tx));
        Block second = Blocks.withValidationCodes(
                Blocks.create(1, BlockHashes.headerHash(first.getHeader()), List.of(tx)),
                List.of(TxValidationCode.DUPLICATE_TXID));
        try (var store = BlockStore.open(dir)) {
            store.appendAll(List.of(first, second));

            assertThat(store.transaction(Transactions.txId(tx)))
                    .contains(new TxLocation(0, 0, TxValidationCode.NOT_VALIDATED));
        }
        try (var store = BlockStore.open(dir)) {
            assertThat(store.transaction(Transactions.txId(tx)))
                    .contains(new TxLocation(0, 0, TxValidationCode.NOT_VALIDATED));
        }
    }

    @Test
    void a_directory_is_opened_by_one_store_at_a_time() throws IOException {
        try (var store = BlockStore.open(dir)) {
            assertThatThrownBy(() -> BlockStore.open(dir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("already open");
        }
        BlockStore.open(dir).close();
    }

    @Nested
    class AfterACrash {

        @Test
        void a_torn_last_record_is_cut_off_and_the_store_reopens_at_the_last_full_block() throws IOException {
            List<Block> chain = Transactions.chain(5, 2);
            write(chain);
            Path file = dir.resolve(BlockStore.BLOCK_FILE);
            long fullSize = Files.size(file);
            truncate(file, fullSize - 7);

            try (var store = BlockStore.open(dir)) {
                assertThat(store.height()).isEqualTo(4);
                assertThat(store.lastHeaderHash()).isEqualTo(BlockHashes.headerHash(chain.get(3).getHeader()));
                assertThat(store.transaction(txId(chain.get(4), 0))).isEmpty();
                assertThat(Files.size(file)).isEqualTo(recordOffsets(file).get(4));

                store.append(chain.get(4));
            }
            try (var store = BlockStore.open(dir)) {
                assertThat(store.height()).isEqualTo(5);
                assertThat(store.block(4)).contains(chain.get(4));
            }
        }

        @Test
        void a_record_header_cut_in_the_middle_is_cut_off() throws IOException {
            List<Block> chain = Transactions.chain(3, 2);
            write(chain);
            Path file = dir.resolve(BlockStore.BLOCK_FILE);
            truncate(file, recordOffsets(file).get(2) + 9);

            try (var store = BlockStore.open(dir)) {
                assertThat(store.height()).isEqualTo(2);
            }
        }

        @Test
        void garbage_after_the_last_block_is_cut_off() throws IOException {
            List<Block> chain = Transactions.chain(3, 2);
            write(chain);
            Path file = dir.resolve(BlockStore.BLOCK_FILE);
            long size = Files.size(file);
            Files.write(file, "half-written garbage from a dying process".getBytes(), StandardOpenOption.APPEND);
            Files.write(file, new byte[4096], StandardOpenOption.APPEND);

            try (var store = BlockStore.open(dir)) {
                assertThat(store.height()).isEqualTo(3);
                assertThat(Files.size(file)).isEqualTo(size);
            }
        }

        @Test
        void a_flipped_byte_in_an_earlier_block_fails_open_naming_the_block() throws IOException {
            List<Block> chain = Transactions.chain(5, 2);
            write(chain);
            Path file = dir.resolve(BlockStore.BLOCK_FILE);
            long offset = recordOffsets(file).get(2) + 20 + 50;
            flipByte(file, offset);
            long recordStart = recordOffsets(file).get(2);

            assertThatThrownBy(() -> BlockStore.open(dir))
                    .isInstanceOfSatisfying(CorruptBlockStoreException.class, e -> {
                        assertThat(e.blockNumber()).isEqualTo(2);
                        assertThat(e.offset()).isEqualTo(recordStart);
                    })
                    .hasMessageContaining("corrupt at block 2")
                    .hasMessageContaining("CRC32C mismatch");
            // The store stays unusable (and untruncated) until someone repairs it.
            assertThatThrownBy(() -> BlockStore.open(dir)).isInstanceOf(CorruptBlockStoreException.class);
        }

        @Test
        void a_flipped_length_field_in_an_earlier_block_fails_open_rather_than_dropping_later_blocks()
                throws IOException {
            List<Block> chain = Transactions.chain(5, 2);
            write(chain);
            Path file = dir.resolve(BlockStore.BLOCK_FILE);
            long size = Files.size(file);
            flipByte(file, recordOffsets(file).get(1) + 4);

            assertThatThrownBy(() -> BlockStore.open(dir))
                    .isInstanceOf(CorruptBlockStoreException.class)
                    .hasMessageContaining("corrupt at block 1");
            assertThat(Files.size(file)).isEqualTo(size);
        }

        private void write(List<Block> chain) throws IOException {
            try (var store = BlockStore.open(dir)) {
                store.appendAll(chain);
            }
        }
    }

    @Nested
    class WaitingForBlocks {

        @Test
        void listeners_see_each_block_after_it_is_durable_and_readable() throws IOException {
            List<Block> chain = Transactions.chain(4, 1);
            try (var store = BlockStore.open(dir)) {
                var seen = new CopyOnWriteArrayList<Long>();
                var readable = new AtomicBoolean(true);
                var registration = store.addListener(block -> {
                    long n = block.getHeader().getNumber();
                    seen.add(n);
                    readable.compareAndSet(true, store.block(n).isPresent() && store.height() > n);
                });
                store.append(chain.get(0));
                store.appendAll(chain.subList(1, 3));
                registration.close();
                store.append(chain.get(3));

                assertThat(seen).containsExactly(0L, 1L, 2L);
                assertThat(readable).isTrue();
            }
        }

        @Test
        void height_futures_complete_when_the_height_is_reached_and_fail_when_the_store_closes() throws Exception {
            List<Block> chain = Transactions.chain(3, 1);
            var store = BlockStore.open(dir);
            store.append(chain.get(0));
            assertThat(store.heightAtLeast(1)).isCompleted();
            CompletableFuture<Void> three = store.heightAtLeast(3);
            CompletableFuture<Void> four = store.heightAtLeast(4);

            store.append(chain.get(1));
            assertThat(three).isNotDone();
            store.append(chain.get(2));

            three.get(5, TimeUnit.SECONDS);
            assertThat(four).isNotDone();
            store.close();
            assertThatThrownBy(() -> four.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
        }

        @Test
        void readers_see_a_consistent_chain_while_a_writer_appends() throws Exception {
            List<Block> chain = Transactions.chain(300, 2);
            try (var store = BlockStore.open(dir)) {
                var failure = new AtomicReference<Throwable>();
                var done = new AtomicBoolean();
                var readers = new ArrayList<Thread>();
                for (int r = 0; r < 3; r++) {
                    var reader = new Thread(() -> {
                        try {
                            while (!done.get()) {
                                long h = store.height();
                                if (h > 0) {
                                    long n = h - 1;
                                    assertThat(store.block(n)).contains(chain.get((int) n));
                                    assertThat(store.transaction(txId(chain.get((int) n / 2), 1))).isPresent();
                                    long from = Math.max(0, n - 3);
                                    List<Long> numbers = store.blocksFrom(from)
                                            .map(b -> b.getHeader().getNumber()).toList();
                                    assertThat(numbers.size()).isGreaterThanOrEqualTo((int) (n - from + 1));
                                    assertThat(numbers.get(numbers.size() - 1) - numbers.get(0))
                                            .isEqualTo(numbers.size() - 1L);
                                }
                            }
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        }
                    });
                    reader.start();
                    readers.add(reader);
                }
                for (Block block : chain) {
                    store.append(block);
                }
                done.set(true);
                for (Thread reader : readers) {
                    reader.join();
                }
                assertThat(failure.get()).isNull();
            }
        }
    }

    static String txId(Block block, int txIndex) {
        return Envelopes.txId(block.getData().getData(txIndex)).orElseThrow();
    }

    /** Record start offsets parsed from the file format, plus the end of the last record. */
    static List<Long> recordOffsets(Path file) throws IOException {
        var offsets = new ArrayList<Long>();
        try (var raf = new RandomAccessFile(file.toFile(), "r")) {
            long position = 8;
            while (position + 20 <= raf.length()) {
                offsets.add(position);
                raf.seek(position + 4);
                position += 20 + raf.readInt();
            }
            offsets.add(position);
        }
        return offsets;
    }

    static void truncate(Path file, long size) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.flip();
            one.put(0, (byte) (one.get(0) ^ 0x10));
            channel.write(one, offset);
        }
    }
}
