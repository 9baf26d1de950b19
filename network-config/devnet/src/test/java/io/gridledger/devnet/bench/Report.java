package io.gridledger.devnet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridledger.devnet.bench.TxSamples.Latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's results as a Markdown report (printed, and written to {@code results.md}) and as JSON
 * ({@code results.json}), with the cryptographic ceiling worked out from the measured ECDSA rates and the counted
 * signatures and verifications per transaction.
 */
final class Report {

    /** What was run, on what. */
    record Setup(String date, String machine, String java, double loadAtStart, String batch, String windows) {
    }

    /**
     * What bounds a phase's throughput, in CPU time per VALID transaction (invalid attempts charged to the valid ones):
     * {@code cryptoCpuMillisPerTx} is the ECDSA work counted, priced at the 2-thread CPU cost per operation;
     * {@code cpuMillisPerTx} is all the CPU the benchmark JVM and the chaincode processes (one per org) used. {@code cryptoCeiling} and
     * {@code cpuCeiling} are the VALID tx/s that the machine's idle cores would allow for each.
     */
    record Ceiling(String workload, int concurrency, double clientSigns, double devnetSigns, double verifies,
                   double cryptoCpuMillisPerTx, double cpuMillisPerTx, double cryptoCeiling, double cpuCeiling,
                   double measuredTxPerSecond) {
    }

    private final Setup setup;
    private final List<EcdsaRates.Rate> rates;
    private final List<PhaseResult> phases;
    private final List<Ceiling> ceilings;
    private final String verifyOperation;
    private final FabricWorkload.Result fabric;
    private final FabricTarget fabricTarget;

    /**
     * The target for the Fabric comparison workload, and how this run did: committed tx/s (median of the
     * repetitions) at least {@value #TARGET_TX_PER_SECOND} (1.5× real Fabric's 124.5), p99 below
     * {@value #TARGET_P99_MS} ms (over the measured repetitions' transactions), and at least
     * {@value #TARGET_ECDSA_SHARE_PCT} % of the ECDSA ceiling (the tx/s the machine's cores would allow if they did
     * nothing but the transaction's counted signatures and verifications, priced as for the phases' ceiling).
     */
    record FabricTarget(double txPerSecond, boolean txPerSecondMet, double p99Ms, boolean p99Met,
                        double ecdsaCpuMillisPerTx, double ecdsaCeiling, double ecdsaSharePct, boolean ecdsaShareMet) {
    }

    static final double TARGET_TX_PER_SECOND = 187;
    static final double TARGET_P99_MS = 850;
    static final double TARGET_ECDSA_SHARE_PCT = 60;
    /** Other processes' use of the cores above which a run's figures are flagged as measured on a shared machine. */
    private static final double LOADED_MACHINE_CORES = 0.2;

    /**
     * @param verifyOperation the {@link EcdsaRates} operation that computed devnet's verifications
     * @param fabric          the Fabric comparison workload's result, or null when it did not run
     */
    Report(Setup setup, List<EcdsaRates.Rate> rates, List<PhaseResult> phases, String verifyOperation,
           FabricWorkload.Result fabric) {
        this.setup = setup;
        this.verifyOperation = verifyOperation;
        this.rates = List.copyOf(rates);
        this.phases = List.copyOf(phases);
        this.ceilings = phases.stream().map(this::ceiling).toList();
        this.fabric = fabric;
        this.fabricTarget = fabric == null ? null : target(fabric);
    }

    private FabricTarget target(FabricWorkload.Result result) {
        double cryptoMillis = cryptoMillisPerTx(result.clientSignsPerTx(), result.devnetSignsPerTx(), result.verifiesPerTx());
        double ceiling = CORES * 1e3 / cryptoMillis;
        // Against the repetition that saturates the CPU when it ran: at 50 in flight the batch timeout, not the CPU, bounds it.
        double cpuBound = result.saturated().map(FabricWorkload.Repetition::txPerSecond).orElse(result.medianTxPerSecond());
        double share = 100 * cpuBound / ceiling;
        double p99 = result.latency().p99();
        return new FabricTarget(result.medianTxPerSecond(), result.medianTxPerSecond() >= TARGET_TX_PER_SECOND, p99,
                p99 < TARGET_P99_MS, cryptoMillis, ceiling, share, share >= TARGET_ECDSA_SHARE_PCT);
    }

    /**
     * CPU milliseconds of ECDSA per transaction for these counted operations, priced at the 2-thread per-CPU-second
     * rates: both cores busy, as devnet runs, and measured after the 1-thread ones, with the JIT at its best.
     */
    private double cryptoMillisPerTx(double clientSigns, double devnetSigns, double verifies) {
        return 1e3 * (clientSigns / rate(EcdsaRates.SDK_SIGN, 2, true) + devnetSigns / rate(EcdsaRates.DEVNET_SIGN, 2, true)
                + verifies / rate(verifyOperation, 2, true));
    }

    private Ceiling ceiling(PhaseResult phase) {
        // Invalid attempts cost the same cryptography but commit nothing: count the work per VALID transaction.
        double attemptsPerValid = phase.validTx() == 0 ? Double.NaN : (double) phase.attempts() / phase.validTx();
        double cryptoMillis = attemptsPerValid * cryptoMillisPerTx(phase.clientSignsPerTx(), phase.devnetSignsPerTx(),
                phase.verifiesPerTx());
        double cpuMillis = phase.jvmCpuMillisPerTx() + phase.chaincodeCpuMillisPerTx();
        return new Ceiling(phase.workload(), phase.concurrency(), phase.clientSignsPerTx(), phase.devnetSignsPerTx(),
                phase.verifiesPerTx(), cryptoMillis, cpuMillis, CORES * 1e3 / cryptoMillis, CORES * 1e3 / cpuMillis,
                phase.txPerSecond());
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private double rate(String operation, int threads, boolean cpuTime) {
        return rates.stream().filter(r -> r.operation().equals(operation) && r.threads() == threads)
                .mapToDouble(r -> cpuTime ? r.perCpuSecond() : r.perSecond()).findFirst().orElse(Double.NaN);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.md"), markdown());
        var document = new LinkedHashMap<String, Object>();
        document.put("setup", setup);
        document.put("ecdsa", rates);
        document.put("phases", phases);
        document.put("ceilings", ceilings);
        if (fabric != null) {
            document.put("fabricWorkload", fabric);
            document.put("fabricTarget", fabricTarget);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), document);
    }

    String markdown() {
        var md = new StringBuilder();
        md.append("# devnet benchmark, ").append(setup.date()).append("\n\n");
        md.append("- machine: ").append(setup.machine()).append("; ").append(setup.java()).append('\n');
        md.append(f("- load average (1 min) at start: %.2f; orderer batch: %s; %s%n", setup.loadAtStart(), setup.batch(), setup.windows()));
        md.append("- 3 orgs, one peer and one chaincode server (own JVM) each; chaincode endorsement policy MAJORITY Endorsement "
                + "(2 of 3 orgs); \"chaincode\" CPU = the three chaincode processes together\n");
        md.append("- latency = from before the client builds and signs the proposal to when the client has the commit status "
                + "(newProposal → endorse → submitAsync → getStatus), VALID transactions only; tx/s = VALID transactions whose "
                + "commit status arrived in the measured window, per second\n\n");

        md.append("## ECDSA P-256 on this machine\n\n");
        if (rates.isEmpty()) {
            md.append("Not measured this run (--no-ecdsa or --jobs-only): the ECDSA columns of the ceiling below are NaN.\n");
        } else {
            md.append("Per second of wall-clock time on the machine as loaded, and per second of the measuring threads' CPU "
                    + "time (the cost of an operation, nearly independent of other load).\n\n");
            md.append("| operation | 1 thread (/s) | 2 threads (/s) | per CPU-second, 1 thread | per CPU-second, 2 threads |\n"
                    + "|---|---:|---:|---:|---:|\n");
            for (var operation : EcdsaRates.OPERATIONS) {
                md.append(f("| %s | %,.0f | %,.0f | %,.0f | %,.0f |%n", operation, rate(operation, 1, false),
                        rate(operation, 2, false), rate(operation, 1, true), rate(operation, 2, true)));
            }
        }

        if (!phases.isEmpty()) {
            phases(md);
        }
        if (fabric != null) {
            fabric(md);
        }
        return md.toString();
    }

    /** The throughput, ceiling, profile and thread tables of the simple-write and job-lifecycle phases. */
    private void phases(StringBuilder md) {
        md.append("\n## Throughput and latency\n\n");
        md.append("| workload | in flight | VALID tx/s | p50 ms | p99 ms | endorse p50 | order p50 | commit wait p50 | jobs/s | job p50 ms | job p99 ms "
                + "| tx/block | non-VALID | errors | CPU cores: devnet+clients / chaincode / others / steal | CPU ms per VALID tx: devnet+clients / chaincode |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|\n");
        for (var p : phases) {
            boolean jobs = p.workload().equals(DevnetBenchmark.JOB_LIFECYCLE);
            md.append(f("| %s | %d | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %.1f | %s | %d | %.2f / %.2f / %.2f / %.2f | %.1f / %.1f |%n",
                    p.workload(), p.concurrency(), p.txPerSecond(), p.latency().p50(), p.latency().p99(),
                    p.stages()[0].p50(), p.stages()[1].p50(), p.stages()[2].p50(),
                    jobs ? f("%.2f", p.jobsPerSecond()) : "–", jobs ? f("%.0f", p.jobLatency().p50()) : "–",
                    jobs ? f("%.0f", p.jobLatency().p99()) : "–", p.txPerBlock(), codes(p.invalid(), p.attempts()), p.failures(),
                    p.cpu().jvm(), p.cpu().chaincode(), p.cpu().others(), p.cpu().steal(),
                    p.jvmCpuMillisPerTx(), p.chaincodeCpuMillisPerTx()));
        }
        for (var p : phases) {
            if (p.byType().size() > 1) {
                md.append(f("%n### %s, %d in flight: per transaction type%n%n", p.workload(), p.concurrency()));
                md.append("| type | attempts | VALID | p50 ms | p99 ms | mean ms | non-VALID | errors |\n|---|---:|---:|---:|---:|---:|---|---:|\n");
                p.byType().forEach((type, t) -> md.append(f("| %s | %d | %d | %.0f | %.0f | %.0f | %s | %d |%n", type, t.attempts(),
                        t.valid(), t.latency().p50(), t.latency().p99(), t.latency().mean(), codes(t.invalid(), t.attempts()),
                        t.errors())));
            }
        }
        for (var p : phases) {
            if (!p.failureSamples().isEmpty()) {
                md.append(f("%nErrors in %s, %d in flight: %s%n", p.workload(), p.concurrency(), String.join("; ", p.failureSamples())));
            }
        }

        md.append("\n## Cryptographic ceiling\n\nSignatures and verifications counted per transaction attempt (clients: the Gateway "
                + "SDK's signer; devnet: every SHA256withECDSA sign/verify in the JVM, block signatures included, over the whole "
                + "load), with invalid attempts charged to the valid transactions. ECDSA CPU ms = their cost at the 2-thread "
                + "per-CPU-second rates above; all CPU ms = what the benchmark JVM (devnet and clients) and the chaincode processes "
                + "used per VALID transaction in the window. Each ceiling = the VALID tx/s that " + CORES
                + " idle cores would allow for that much CPU per transaction; the measured tx/s shared the cores with other load.\n\n");
        md.append("| workload | in flight | client signs/tx | devnet signs/tx | verifies/tx | ECDSA CPU ms/tx | all CPU ms/tx | ECDSA share "
                + "| ECDSA ceiling (tx/s) | CPU ceiling (tx/s) | measured tx/s |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var c : ceilings) {
            md.append(f("| %s | %d | %.2f | %.2f | %.2f | %.1f | %.1f | %.0f%% | %.0f | %.0f | %.1f |%n", c.workload(), c.concurrency(),
                    c.clientSigns(), c.devnetSigns(), c.verifies(), c.cryptoCpuMillisPerTx(), c.cpuMillisPerTx(),
                    100 * c.cryptoCpuMillisPerTx() / c.cpuMillisPerTx(), c.cryptoCeiling(), c.cpuCeiling(), c.measuredTxPerSecond()));
        }

        var profiled = phases.stream().filter(p -> p.profile() != null).toList();
        if (!profiled.isEmpty()) {
            md.append("\n## Where the benchmark JVM's CPU went (JFR execution samples, 10 ms)\n\n");
            md.append("Each sample is counted under the first stage on its stack (in this order); \"ECDSA\" = samples with EC or "
                    + "signature code on the stack. The chaincode servers run in their own processes (CPU column above).\n");
            for (var p : profiled) {
                var profile = p.profile();
                md.append(f("%n### %s, %d in flight: %d samples, %.0f%% in ECDSA (%s)%n%n", p.workload(), p.concurrency(),
                        profile.samples(), pct(profile.cryptoSamples(), profile.samples()), profile.recording().getFileName()));
                stageTable(md, profile);
            }
        }
        md.append("\n## CPU by thread group in the benchmark JVM (cores)\n\n");
        for (var p : phases) {
            md.append(f("- %s, %d in flight: %s%n", p.workload(), p.concurrency(), topThreads(p.cpu().jvmThreads())));
        }
    }

    private static void stageTable(StringBuilder md, SampledProfile.Summary profile) {
        md.append("| stage | % of samples | of which ECDSA |\n|---|---:|---:|\n");
        profile.stages().forEach((stage, s) -> md.append(f("| %s | %.0f%% | %.0f%% |%n", stage,
                pct(s.samples(), profile.samples()), pct(s.crypto(), s.samples()))));
    }

    /** "grpc-default-executor 0.41, orderer 0.30, …": the 8 busiest thread groups, in cores. */
    private static String topThreads(Map<String, Double> threads) {
        return String.join(", ", threads.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(8).map(e -> f("%s %.2f", e.getKey(), e.getValue())).toList());
    }

    /** The Fabric comparison workload: every repetition, the headline figures, the target, and the profile. */
    private void fabric(StringBuilder md) {
        var settings = fabric.settings();
        md.append("\n## ").append(FabricWorkload.NAME).append(": issue 13, \"Faster than Fabric\"\n\n");
        md.append(f("- %s%n", fabric.network()));
        md.append(f("- each repetition: %,d transactions (one putState of a key of its own each), %d in flight (closed loop); "
                        + "one unmeasured warm-up repetition, then %d measured; tx/s = VALID transactions ÷ time from the first "
                        + "proposal to the last commit status; latency as above (submit to commit)%n%n",
                settings.transactions(), settings.inFlight(), settings.repetitions()));
        md.append("| repetition | tx/s committed | p50 ms | p95 ms | p99 ms | endorse p50 | order p50 | commit wait p50 | tx/block "
                + "| non-VALID | errors | CPU s per 1,000 tx: devnet+clients / chaincode | others' cores |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|\n");
        for (var r : fabric.repetitions()) {
            md.append(f("| %s | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %s | %d | %.2f / %.2f | %.2f |%n",
                    r.measured() ? r.label() : r.label() + " (not counted)", r.txPerSecond(), r.latency().p50(),
                    r.latency().p95(), r.latency().p99(), r.stages()[0].p50(), r.stages()[1].p50(), r.stages()[2].p50(),
                    r.txPerBlock(), codes(r.invalid(), r.transactions()), r.errors(), r.devnetCpuSecondsPer1000Tx(),
                    r.chaincodeCpuSecondsPer1000Tx(), r.othersCores()));
        }
        var latency = fabric.latency();
        md.append(f("%n**devnet: %.1f tx/s committed (median of %d); p50 %.0f ms, p95 %.0f ms, p99 %.0f ms** (over the %,d VALID "
                        + "transactions of the measured repetitions); CPU s per 1,000 tx: devnet JVM incl. clients %.2f, "
                        + "chaincode JVMs %.2f (mean of the measured repetitions)%n", fabric.medianTxPerSecond(),
                settings.repetitions(), latency.p50(), latency.p95(), latency.p99(), latency.count(),
                fabric.devnetCpuSecondsPer1000Tx(), fabric.chaincodeCpuSecondsPer1000Tx()));
        double busiest = fabric.measured().stream().mapToDouble(FabricWorkload.Repetition::othersCores).max().orElse(0);
        if (busiest >= LOADED_MACHINE_CORES) {
            md.append(f("%n**The machine was shared:** other processes took up to %.2f of the %d cores during a measured "
                    + "repetition (\"others' cores\"), so these figures understate what devnet does on free cores; compare "
                    + "only runs whose others' cores are near 0.%n", busiest, CORES));
        }
        md.append(f("%nWhere the time between two blocks goes (medians per repetition, from the clients' timestamps): a "
                + "block is cut a batch timeout after its first transaction arrives, and holds at most the %d in flight, so "
                + "tx/s ≤ %d ÷ (%d ms + commit + next first)%n%n", settings.inFlight(), settings.inFlight(),
                settings.batchTimeoutMillis()));
        md.append("| repetition | blocks | block every (ms) | batch timeout | commit: cut → first status | statuses spread | "
                + "next first: status → next block's first arrival | of which its endorsement | its submit |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        // Only where every block holds all in flight: with more in flight, or under the profiler, blocks are not cut by
        // the timeout after the previous one's statuses, and the clients' timestamps cannot tell blocks apart.
        for (var r : fabric.repetitions().stream().filter(r -> !r.label().equals(FabricWorkload.SATURATED) && r.profile() == null).toList()) {
            var c = r.cycles();
            md.append(f("| %s | %d | %.1f | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", r.label(), c.blocks(), c.cycleMs(),
                    settings.batchTimeoutMillis(), c.commitMs(), c.statusSpreadMs(), c.nextFirstMs(), c.firstEndorseMs(),
                    c.firstOrderMs()));
        }
        var t = fabricTarget;
        md.append(f("%nECDSA per transaction: %.2f client signs, %.2f devnet signs, %.2f verifies = %.2f ms of CPU at the "
                        + "2-thread rates above; the ceiling, %d cores doing nothing else: %.0f tx/s; achieved %.0f %% of it%s%n",
                fabric.clientSignsPerTx(), fabric.devnetSignsPerTx(), fabric.verifiesPerTx(), t.ecdsaCpuMillisPerTx(), CORES,
                t.ecdsaCeiling(), t.ecdsaSharePct(), fabric.saturated().map(r -> f(" by the %s repetition (%.1f tx/s): at "
                        + "%d in flight and a %d ms batch timeout no network commits more than %d ÷ %.2f s = %.0f tx/s",
                        r.label(), r.txPerSecond(), settings.inFlight(), settings.batchTimeoutMillis(), settings.inFlight(),
                        settings.batchTimeoutMillis() / 1e3, settings.inFlight() * 1e3 / settings.batchTimeoutMillis())).orElse("")));
        md.append("\nTarget (issue 13):\n\n");
        md.append(f("- committed tx/s ≥ %.0f: %.1f, %s%n", TARGET_TX_PER_SECOND, t.txPerSecond(), met(t.txPerSecondMet(), t.txPerSecond())));
        md.append(f("- p99 < %.0f ms: %.0f ms, %s%n", TARGET_P99_MS, t.p99Ms(), met(t.p99Met(), t.p99Ms())));
        md.append(f("- ≥ %.0f %% of the ECDSA ceiling: %.0f %%, %s%n", TARGET_ECDSA_SHARE_PCT, t.ecdsaSharePct(),
                met(t.ecdsaShareMet(), t.ecdsaSharePct())));

        fabric.repetitions().stream().filter(r -> r.profile() != null).forEach(r -> {
            var profile = r.profile();
            md.append(f("%n### Where the devnet JVM's CPU went in repetition %s: %d JFR samples, %.0f%% in ECDSA (%s)%n%n", r.label(),
                    profile.samples(), pct(profile.cryptoSamples(), profile.samples()), profile.recording().getFileName()));
            stageTable(md, profile);
            md.append("\nBy the package of the devnet frame nearest the top of the stack:\n\n| package | % of samples |\n|---|---:|\n");
            profile.devnetPackages().forEach((pkg, n) -> md.append(f("| %s | %.1f%% |%n", pkg, pct(n, profile.samples()))));
            md.append("\nBy the devnet method nearest the top of the stack:\n\n| method | % of samples |\n|---|---:|\n");
            profile.devnetMethods().forEach((method, n) -> md.append(f("| `%s` | %.1f%% |%n", method, pct(n, profile.samples()))));
            md.append("\nTop frames (where the CPU was):\n\n| method | % of samples |\n|---|---:|\n");
            profile.topFrames().forEach((method, n) -> md.append(f("| `%s` | %.1f%% |%n", method, pct(n, profile.samples()))));
            md.append(f("%nThreads (cores): %s%n", topThreads(r.jvmThreads())));
        });
    }

    private static String met(boolean met, double figure) {
        return Double.isNaN(figure) ? "not measured" : met ? "**met**" : "**not met**";
    }

    private static String codes(Map<String, Integer> invalid, int attempts) {
        if (invalid.isEmpty()) {
            return "0";
        }
        return String.join(", ", invalid.entrySet().stream()
                .map(e -> f("%s %d (%.1f%%)", e.getKey(), e.getValue(), pct(e.getValue(), attempts))).toList());
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? Double.NaN : 100.0 * part / whole;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
