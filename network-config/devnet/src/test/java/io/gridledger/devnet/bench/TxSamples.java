package io.gridledger.devnet.bench;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * What a load run recorded: every transaction attempt with its timings and validation code, every failed call, and
 * every finished job. Thread-safe; statistics are taken over a {@link Window} by when things ended.
 */
final class TxSamples {

    /**
     * One submitted transaction, in {@link System#nanoTime()} instants: {@code start} before the proposal is built and
     * signed, {@code endorsed} when the gateway returned the endorsed transaction, {@code submitted} when the orderer
     * accepted the signed envelope, {@code end} when the commit status reached the client.
     */
    record Attempt(String type, long start, long endorsed, long submitted, long end, TxValidationCode code) {
        boolean valid() {
            return code == TxValidationCode.VALID;
        }
    }

    /** A whole job, from its SubmitJob proposal to the commit status of its deciding RevealResult. */
    record Job(long start, long end) {
    }

    /** A call that failed with an exception (endorsement refused, timeout…) rather than a validation code. */
    record Failure(String type, long at, String message) {
    }

    /** A time window in {@link System#nanoTime()} instants. */
    record Window(long from, long to) {
        double seconds() {
            return (to - from) / 1e9;
        }

        boolean contains(long instant) {
            return instant >= from && instant < to;
        }
    }

    /** Latency percentiles in milliseconds. */
    record Latency(int count, double p50, double p95, double p99, double mean, double max) {
        static Latency of(long[] nanos) {
            if (nanos.length == 0) {
                return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            var sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latency(sorted.length, ms(percentile(sorted, 50)), ms(percentile(sorted, 95)), ms(percentile(sorted, 99)),
                    ms((long) Arrays.stream(sorted).average().orElse(0)), ms(sorted[sorted.length - 1]));
        }

        /** Nearest rank: the smallest value with at least {@code p}% of the values at or below it. */
        private static long percentile(long[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Job> jobs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

    void add(Attempt attempt) {
        attempts.add(attempt);
    }

    void add(Job job) {
        jobs.add(job);
    }

    void fail(String type, Exception e) {
        failures.add(new Failure(type, System.nanoTime(), e.getClass().getSimpleName() + ": " + e.getMessage()));
    }

    /** Every attempt recorded. */
    int attemptCount() {
        return attempts.size();
    }

    /** Attempts whose commit status arrived in {@code window}. */
    List<Attempt> attempts(Window window) {
        return attempts.stream().filter(a -> window.contains(a.end())).toList();
    }

    List<Job> jobs(Window window) {
        return jobs.stream().filter(j -> window.contains(j.end())).toList();
    }

    List<Failure> failures(Window window) {
        return failures.stream().filter(f -> window.contains(f.at())).toList();
    }

    /** How many attempts in the window ended with each non-VALID code. */
    static Map<String, Integer> invalidCodes(List<Attempt> attempts) {
        var counts = new TreeMap<String, Integer>();
        attempts.stream().filter(a -> !a.valid()).forEach(a -> counts.merge(a.code().name(), 1, Integer::sum));
        return counts;
    }

    /** Submit-to-commit latency of the VALID attempts that {@code filter} keeps. */
    static Latency latency(List<Attempt> attempts, Predicate<Attempt> filter) {
        return Latency.of(attempts.stream().filter(Attempt::valid).filter(filter).mapToLong(a -> a.end() - a.start()).toArray());
    }

    /** Latencies of the three stages of VALID attempts: endorse, order (submit), wait for the commit status. */
    static Latency[] stages(List<Attempt> attempts) {
        var valid = attempts.stream().filter(Attempt::valid).toList();
        return new Latency[]{
                Latency.of(valid.stream().mapToLong(a -> a.endorsed() - a.start()).toArray()),
                Latency.of(valid.stream().mapToLong(a -> a.submitted() - a.endorsed()).toArray()),
                Latency.of(valid.stream().mapToLong(a -> a.end() - a.submitted()).toArray())};
    }
}
