package io.gridledger.devnet.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop load: {@code workers} threads each repeat one unit of work (a transaction, a job) back to back until
 * told to stop. Warm-up first, then the measured window; work that ends outside the window is not counted, and the
 * work in flight at the end is let finish so nothing is cut off mid-transaction.
 */
final class LoadRun {

    /** One unit of work; {@code worker} is the thread's index, {@code sequence} its own counter. */
    interface Work {
        void run(int worker, long sequence) throws Exception;
    }

    /** Told when the load starts, when the measured window opens and closes, and when the last work has finished. */
    interface WindowListener {
        void started();

        void opened();

        void closed();

        void stopped();
    }

    private LoadRun() {
    }

    /** Runs the load and returns the measured window. */
    static TxSamples.Window run(String name, int workers, Duration warmUp, Duration measure, TxSamples samples,
                                WindowListener listener, Work work) throws InterruptedException {
        var running = new AtomicBoolean(true);
        var threads = new ArrayList<Thread>();
        listener.started();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            var thread = new Thread(() -> {
                for (long sequence = 0; running.get(); sequence++) {
                    try {
                        work.run(worker, sequence);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        samples.fail(name, e);
                    }
                }
            }, "bench-" + name + "-" + w);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        Thread.sleep(warmUp.toMillis());
        listener.opened();
        long from = System.nanoTime();
        Thread.sleep(measure.toMillis());
        long to = System.nanoTime();
        listener.closed();
        running.set(false);
        awaitAll(threads, Duration.ofMinutes(2));
        listener.stopped();
        return new TxSamples.Window(from, to);
    }

    private static void awaitAll(List<Thread> threads, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }
}
