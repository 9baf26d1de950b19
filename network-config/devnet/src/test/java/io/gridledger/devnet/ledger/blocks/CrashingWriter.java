package io.gridledger.devnet.ledger.blocks;

import org.hyperledger.fabric.protos.common.Block;

import java.nio.file.Path;
import java.util.List;

/**
 * Child process for {@link BlockStoreDurabilityTest}: appends blocks to the store in {@code args[0]} as fast as it
 * can, in batches of 1 to 8, printing {@code durable <height>} after each append returns, until it is killed.
 */
public final class CrashingWriter {

    private CrashingWriter() {
    }

    public static void main(String[] args) throws Exception {
        try (var store = BlockStore.open(Path.of(args[0]))) {
            int batch = 1;
            while (true) {
                List<Block> blocks = Transactions.chainFrom(store.height(), store.lastHeaderHash(), batch, 10);
                store.appendAll(blocks);
                System.out.println("durable " + store.height());
                System.out.flush();
                batch = batch % 8 + 1;
            }
        }
    }
}
