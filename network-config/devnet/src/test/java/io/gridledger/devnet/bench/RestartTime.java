package io.gridledger.devnet.bench;

import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.testing.Consortium;
import io.gridledger.devnet.testing.RwSet;
import io.gridledger.devnet.testing.TransactionBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;

/**
 * How long a devnet ledger takes to open again after a restart, with and without its state checkpoint: builds a chain
 * of {@code blocks} blocks of {@code perBlock} transactions (each writing a key of its own and rewriting one of a
 * thousand shared keys), closes it, then times {@code ChannelLedger.open} three times each way.
 *
 * <pre>{@code
 * mvn -o -Pbench -DskipTests -pl chaincode,network-config/devnet package \
 *     -Dbench.main=io.gridledger.devnet.bench.RestartTime -Dbench.args="5000 10"
 * }</pre>
 */
public final class RestartTime {

    private RestartTime() {
    }

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        var consortium = Consortium.shared();
        var dir = Files.createTempDirectory("devnet-restart-");
        try {
            System.out.printf("building %,d blocks of %d transactions...%n", blocks, perBlock);
            try (var ledger = consortium.openLedger(dir)) {
                int tx = 0;
                for (int b = 0; b < blocks; b++) {
                    var envelopes = new ArrayList<org.hyperledger.fabric.protos.common.Envelope>();
                    for (int i = 0; i < perBlock; i++, tx++) {
                        envelopes.add(TransactionBuilder.proposedBy(consortium.client("Org1MSP"))
                                .results(RwSet.in(Consortium.CHAINCODE).write("own-" + tx, "v" + tx)
                                        .write("shared-" + (tx % 1_000), "v" + tx).build())
                                .endorsedBy(consortium.peer("Org1MSP"), consortium.peer("Org2MSP")).envelope());
                    }
                    ledger.order(envelopes);
                }
            }
            var checkpoint = dir.resolve("state.checkpoint");
            System.out.printf("checkpoint: %,d bytes; block store: %,d bytes%n", Files.size(checkpoint), storeBytes(dir));
            var storeOnly = new ArrayList<Long>();
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                io.gridledger.devnet.ledger.blocks.BlockStore.open(dir).close();
                storeOnly.add((System.nanoTime() - started) / 1_000_000);
            }
            report("the block store alone (scan, checks, indexes)", storeOnly);
            report("with the checkpoint", time(consortium, dir, 3));
            var saved = Files.readAllBytes(checkpoint);
            Files.delete(checkpoint);
            var without = new ArrayList<Long>();
            for (int i = 0; i < 3; i++) {
                without.addAll(time(consortium, dir, 1));
                Files.deleteIfExists(checkpoint); // each open without one writes a new one on close
            }
            report("without (every block replayed)", without);
            Files.write(checkpoint, saved);
        } finally {
            DevnetBenchmark.deleteRecursively(dir);
        }
        System.exit(0);
    }

    private static ArrayList<Long> time(Consortium consortium, Path dir, int times) throws Exception {
        var millis = new ArrayList<Long>();
        for (int i = 0; i < times; i++) {
            long started = System.nanoTime();
            ChannelLedger ledger = consortium.openLedger(dir);
            millis.add((System.nanoTime() - started) / 1_000_000);
            ledger.close();
        }
        return millis;
    }

    private static long storeBytes(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith("state.")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void report(String label, java.util.List<Long> millis) {
        System.out.printf(Locale.ROOT, "open %s: %s ms%n", label, millis);
    }
}
