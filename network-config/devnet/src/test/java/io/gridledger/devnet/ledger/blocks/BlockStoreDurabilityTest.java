package io.gridledger.devnet.ledger.blocks;

import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BlockStoreDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void every_append_acknowledged_before_a_kill_minus_9_is_there_after_reopening() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long acknowledged = 0;
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < 400 && (line = out.readLine()) != null) {
                acknowledged = Long.parseLong(line.substring("durable ".length()));
            }
            process.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, possibly mid-write
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long durable = acknowledged;
        assertThat(durable).as("the writer made progress before it was killed").isGreaterThanOrEqualTo(400);

        try (var store = BlockStore.open(dir)) {
            assertThat(store.height()).isGreaterThanOrEqualTo(durable);
            Block last = store.block(durable - 1).orElseThrow();
            assertThat(store.transaction(BlockStoreTest.txId(last, 9)))
                    .hasValueSatisfying(location -> assertThat(location.blockNumber()).isEqualTo(durable - 1));
            long next = store.height();
            store.append(Transactions.chainFrom(next, store.lastHeaderHash(), 1, 1).get(0));
            assertThat(store.height()).isEqualTo(next + 1);
        }
    }

    @Test
    void reopening_a_store_of_100_000_transactions_rebuilds_the_whole_index() throws Exception {
        List<Block> chain = Transactions.chain(10_000, 10);
        try (var store = BlockStore.open(dir)) {
            for (int i = 0; i < chain.size(); i += 100) {
                store.appendAll(chain.subList(i, i + 100));
            }
        }

        long[] height = new long[1];
        long reopen = timeMillis(() -> {
            try (var store = BlockStore.open(dir)) {
                height[0] = store.height();
                assertThat(store.transaction(BlockStoreTest.txId(chain.get(9_999), 9))).isPresent();
                assertThat(store.transaction(BlockStoreTest.txId(chain.get(0), 0))).isPresent();
            }
        });

        // The time is printed, not asserted: it depends on the machine's load (the figure is in ChannelLedger.open).
        System.out.printf("BlockStore: reopen with 10,000 blocks / 100,000 tx took %d ms%n", reopen);
        assertThat(height[0]).isEqualTo(10_000);
    }

    /**
     * Not a benchmark: a rough figure to size devnet's batching, printed (not asserted). 1,000 blocks by default to
     * keep the suite quick; {@code -Dblockstore.measure.blocks=10000} for the full figure.
     */
    @Test
    void force_per_block_and_force_per_batch_are_measured() throws Exception {
        int blocks = Integer.getInteger("blockstore.measure.blocks", 1_000);
        List<Block> chain = Transactions.chain(blocks, 10);

        long perBlock = timeMillis(() -> {
            try (var store = BlockStore.open(dir.resolve("per-block"))) {
                for (Block block : chain) {
                    store.append(block);
                }
            }
        });
        long perBatch = timeMillis(() -> {
            try (var store = BlockStore.open(dir.resolve("per-batch"))) {
                for (int i = 0; i < chain.size(); i += 100) {
                    store.appendAll(chain.subList(i, Math.min(chain.size(), i + 100)));
                }
            }
        });

        System.out.printf("BlockStore: %,d blocks x 10 tx: force per block %d ms (%.0f blocks/s), "
                        + "force per 100-block batch %d ms (%.0f blocks/s)%n",
                blocks, perBlock, blocks * 1000.0 / perBlock, perBatch, blocks * 1000.0 / perBatch);
        try (var perBlockStore = BlockStore.open(dir.resolve("per-block"));
                var perBatchStore = BlockStore.open(dir.resolve("per-batch"))) {
            assertThat(perBlockStore.height()).isEqualTo(blocks);
            assertThat(perBatchStore.lastHeaderHash()).isEqualTo(perBlockStore.lastHeaderHash());
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static long timeMillis(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
