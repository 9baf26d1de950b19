package io.gridledger.devnet.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Where a closed-loop run's time goes between two blocks, from the clients' own timestamps. With N in flight and a
 * batch timeout T, every transaction of one block gets its commit status at about the same moment, its client sends
 * the next one at once, and the next block is cut T after the first of those reaches the orderer. So a block comes
 * every {@code T + commit + next first}, where
 * <ul>
 *   <li><b>commit</b> = from the cut (first arrival + T) to the first commit status a client holds: validating,
 *       storing and applying the block and answering the status requests;</li>
 *   <li><b>next first</b> = from that status to the first transaction of the next block reaching the orderer: a
 *       client signing a proposal, two endorsements, signing and submitting the envelope — while every other client
 *       of the block does the same.</li>
 * </ul>
 * Blocks are told apart by the statuses' arrival: statuses of one block arrive within milliseconds, blocks at least
 * T apart.
 *
 * @param blocks        the blocks between which a cycle was measured
 * @param cycleMs       median time from one block's first arrival to the next one's
 * @param commitMs      median cut → first commit status
 * @param statusSpreadMs median first → last commit status of one block
 * @param nextFirstMs   median first commit status → next block's first arrival
 * @param firstEndorseMs median endorsement time of the transaction that arrived first
 * @param firstOrderMs  median time that transaction took from endorsed to accepted by the orderer
 */
record BlockCycles(int blocks, double cycleMs, double commitMs, double statusSpreadMs, double nextFirstMs,
                   double firstEndorseMs, double firstOrderMs) {

    static BlockCycles of(List<TxSamples.Attempt> attempts, long batchTimeoutMillis) {
        var byStatus = new ArrayList<>(attempts);
        byStatus.sort(Comparator.comparingLong(TxSamples.Attempt::end));
        long gap = batchTimeoutMillis * 1_000_000 / 2;
        var blocks = new ArrayList<List<TxSamples.Attempt>>();
        for (var attempt : byStatus) {
            if (blocks.isEmpty() || attempt.end() - last(blocks.get(blocks.size() - 1)).end() > gap) {
                blocks.add(new ArrayList<>());
            }
            blocks.get(blocks.size() - 1).add(attempt);
        }
        var cycles = new ArrayList<double[]>();
        for (int k = 1; k + 1 < blocks.size(); k++) { // the first and last blocks start and end the run, not a cycle
            var block = blocks.get(k);
            var next = blocks.get(k + 1);
            var first = block.stream().min(Comparator.comparingLong(TxSamples.Attempt::submitted)).orElseThrow();
            var nextFirst = next.stream().min(Comparator.comparingLong(TxSamples.Attempt::submitted)).orElseThrow();
            long firstStatus = block.get(0).end();
            long cut = first.submitted() + batchTimeoutMillis * 1_000_000;
            cycles.add(new double[] {
                    ms(nextFirst.submitted() - first.submitted()), ms(firstStatus - cut), ms(last(block).end() - firstStatus),
                    ms(nextFirst.submitted() - firstStatus), ms(nextFirst.endorsed() - nextFirst.start()),
                    ms(nextFirst.submitted() - nextFirst.endorsed())});
        }
        return new BlockCycles(cycles.size(), median(cycles, c -> c[0]), median(cycles, c -> c[1]), median(cycles, c -> c[2]),
                median(cycles, c -> c[3]), median(cycles, c -> c[4]), median(cycles, c -> c[5]));
    }

    private static TxSamples.Attempt last(List<TxSamples.Attempt> block) {
        return block.get(block.size() - 1);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(List<double[]> rows, ToDoubleFunction<double[]> column) {
        var values = rows.stream().mapToDouble(column).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
