package io.gridledger.devnet.bench;

import io.gridledger.devnet.bench.TxSamples.Latency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one measured phase (a workload at one concurrency).
 *
 * @param attempts        transactions whose commit status arrived in the window, whatever their code
 * @param validTx         of which VALID
 * @param txPerSecond     VALID transactions per second
 * @param latency         submit-to-commit latency of the VALID ones
 * @param stages          endorse, order and commit-wait parts of that latency
 * @param byType          per transaction type (job lifecycle): attempts, VALID, non-VALID codes, errors, latency
 * @param invalid         non-VALID codes and how often each occurred
 * @param failures        calls that failed with an exception, with the first few messages
 * @param jobs            jobs completed in the window (job lifecycle)
 * @param clientSignsPerTx ECDSA signatures per transaction attempt by clients (SDK), over the whole load
 * @param devnetSignsPerTx ECDSA signatures per transaction attempt by devnet (peers, orderer), over the whole load
 * @param verifiesPerTx    ECDSA verifications per transaction attempt (all by devnet), over the whole load
 */
record PhaseResult(String workload, int concurrency, double seconds, int attempts, int validTx, double txPerSecond,
                   Latency latency, Latency[] stages, Map<String, TypeStats> byType, Map<String, Integer> invalid,
                   int failures, List<String> failureSamples, int jobs, double jobsPerSecond, Latency jobLatency,
                   long blocks, double txPerBlock, double clientSignsPerTx, double devnetSignsPerTx,
                   double verifiesPerTx, CpuMeter.Usage cpu, SampledProfile.Summary profile) {

    /**
     * One transaction type in the window: its attempts, how many committed VALID, how many committed with each other
     * code, how many calls of it failed with an exception (endorsers disagreed…), and the latency of the VALID ones.
     */
    record TypeStats(int attempts, int valid, Map<String, Integer> invalid, int errors, Latency latency) {
    }

    /** CPU milliseconds per VALID transaction used by the benchmark JVM (devnet and clients) and by the chaincode. */
    double jvmCpuMillisPerTx() {
        return cpu.jvm() * 1e3 / txPerSecond;
    }

    double chaincodeCpuMillisPerTx() {
        return cpu.chaincode() * 1e3 / txPerSecond;
    }

    static PhaseResult of(String workload, int concurrency, TxSamples.Window window, TxSamples samples, PhaseMeter meter) {
        var attempts = samples.attempts(window);
        int valid = (int) attempts.stream().filter(TxSamples.Attempt::valid).count();
        var failures = samples.failures(window);
        var byType = new LinkedHashMap<String, TypeStats>();
        attempts.stream().map(TxSamples.Attempt::type).distinct().sorted().forEach(type -> {
            var ofType = attempts.stream().filter(a -> a.type().equals(type)).toList();
            byType.put(type, new TypeStats(ofType.size(), (int) ofType.stream().filter(TxSamples.Attempt::valid).count(),
                    TxSamples.invalidCodes(ofType), (int) failures.stream().filter(f -> f.type().equals(type)).count(),
                    TxSamples.latency(ofType, a -> true)));
        });
        var jobs = samples.jobs(window);
        var jobLatency = Latency.of(jobs.stream().mapToLong(j -> j.end() - j.start()).toArray());
        var crypto = meter.crypto();
        double perTx = samples.attemptCount() == 0 ? Double.NaN : 1.0 / samples.attemptCount();
        return new PhaseResult(workload, concurrency, window.seconds(), attempts.size(), valid, valid / window.seconds(),
                TxSamples.latency(attempts, a -> true), TxSamples.stages(attempts), byType, TxSamples.invalidCodes(attempts),
                failures.size(), failures.stream().map(f -> f.type() + ": " + f.message()).distinct().limit(5).toList(),
                jobs.size(), jobs.size() / window.seconds(), jobLatency, meter.blocks(),
                meter.blocks() == 0 ? Double.NaN : (double) attempts.size() / meter.blocks(),
                crypto.clientSigns() * perTx, crypto.signs() * perTx, crypto.verifies() * perTx,
                meter.usage(), meter.profile().orElse(null));
    }
}
