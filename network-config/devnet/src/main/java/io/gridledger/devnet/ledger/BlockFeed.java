package io.gridledger.devnet.ledger;

import org.hyperledger.fabric.protos.common.Block;

import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Hands a consumer the channel's blocks in order from a start number: first those already committed, then each
 * new one as it commits (its writes applied to the state) — by waiting on the ledger, never by polling. Used by the Deliver service and the
 * gateway's chaincode event stream. The consumer returns false (or the feed is cancelled) to stop.
 */
public final class BlockFeed {

    private final ChannelLedger ledger;
    private final Predicate<Block> consumer;
    private final Executor executor;
    private final long stopAfter;
    private long next;
    private volatile boolean cancelled;

    private BlockFeed(ChannelLedger ledger, long start, long stopAfter, Predicate<Block> consumer, Executor executor) {
        this.ledger = ledger;
        this.next = start;
        this.stopAfter = stopAfter;
        this.consumer = consumer;
        this.executor = executor;
    }

    /**
     * Starts a feed; returns it so the caller can {@link #cancel()} it.
     *
     * @param stopAfter the last block to deliver ({@code Long.MAX_VALUE} for an endless feed)
     * @param onEnd     run once when the feed has delivered {@code stopAfter}
     */
    public static BlockFeed start(ChannelLedger ledger, long start, long stopAfter, Predicate<Block> consumer,
                                  Runnable onEnd, Executor executor) {
        var feed = new BlockFeed(ledger, start, stopAfter, consumer, executor);
        executor.execute(() -> feed.drain(onEnd));
        return feed;
    }

    public void cancel() {
        cancelled = true;
    }

    private void drain(Runnable onEnd) {
        try {
            while (!cancelled && next < ledger.height()) {
                var block = ledger.block(next).orElseThrow();
                if (!consumer.test(block)) {
                    cancelled = true;
                    return;
                }
                if (next == stopAfter) {
                    cancelled = true;
                    onEnd.run();
                    return;
                }
                next++;
            }
        } catch (RuntimeException e) {
            cancelled = true;
            throw e;
        }
        if (!cancelled) {
            ledger.heightAtLeast(next + 1).thenRunAsync(() -> drain(onEnd), executor);
        }
    }
}
