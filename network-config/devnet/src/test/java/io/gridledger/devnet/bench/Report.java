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
     * The most transactions per second the machine could commit if it did nothing but the ECDSA work a transaction
     * needs, using all its cores ({@code cores} measured ECDSA rates on two threads).
     */
    record Ceiling(String workload, int concurrency, double clientSigns, double devnetSigns, double verifies,
                   double cryptoMillisPerTx, double ceilingTxPerSecond, double measuredTxPerSecond) {
    }

    private final Setup setup;
    private final List<EcdsaRates.Rate> rates;
    private final List<PhaseResult> phases;
    private final List<Ceiling> ceilings;

    Report(Setup setup, List<EcdsaRates.Rate> rates, List<PhaseResult> phases) {
        this.setup = setup;
        this.rates = List.copyOf(rates);
        this.phases = List.copyOf(phases);
        this.ceilings = phases.stream().map(this::ceiling).toList();
    }

    private Ceiling ceiling(PhaseResult phase) {
        double oneCoreSeconds = phase.clientSignsPerTx() / rate(EcdsaRates.SDK_SIGN, 1)
                + phase.devnetSignsPerTx() / rate(EcdsaRates.JDK_SIGN, 1)
                + phase.verifiesPerTx() / rate(EcdsaRates.JDK_VERIFY, 1);
        double allCoresSeconds = phase.clientSignsPerTx() / rate(EcdsaRates.SDK_SIGN, 2)
                + phase.devnetSignsPerTx() / rate(EcdsaRates.JDK_SIGN, 2)
                + phase.verifiesPerTx() / rate(EcdsaRates.JDK_VERIFY, 2);
        // Invalid attempts cost the same cryptography but commit nothing: count the work per VALID transaction.
        double attemptsPerValid = phase.validTx() == 0 ? Double.NaN : (double) phase.attempts() / phase.validTx();
        return new Ceiling(phase.workload(), phase.concurrency(), phase.clientSignsPerTx(), phase.devnetSignsPerTx(),
                phase.verifiesPerTx(), oneCoreSeconds * 1e3, 1 / (allCoresSeconds * attemptsPerValid), phase.txPerSecond());
    }

    private double rate(String operation, int threads) {
        return rates.stream().filter(r -> r.operation().equals(operation) && r.threads() == threads)
                .mapToDouble(EcdsaRates.Rate::perSecond).findFirst().orElse(Double.NaN);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.md"), markdown());
        var document = new LinkedHashMap<String, Object>();
        document.put("setup", setup);
        document.put("ecdsa", rates);
        document.put("phases", phases);
        document.put("ceilings", ceilings);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), document);
    }

    String markdown() {
        var md = new StringBuilder();
        md.append("# devnet benchmark, ").append(setup.date()).append("\n\n");
        md.append("- machine: ").append(setup.machine()).append("; ").append(setup.java()).append('\n');
        md.append(f("- load average (1 min) at start: %.2f; orderer batch: %s; %s%n", setup.loadAtStart(), setup.batch(), setup.windows()));
        md.append("- 3 orgs, one peer each; chaincode endorsement policy MAJORITY Endorsement (2 of 3 orgs)\n");
        md.append("- latency = from before the client builds and signs the proposal to when the client has the commit status "
                + "(newProposal → endorse → submitAsync → getStatus), VALID transactions only; tx/s = VALID transactions whose "
                + "commit status arrived in the measured window, per second\n\n");

        md.append("## ECDSA P-256 on this machine\n\n| operation | 1 thread (/s) | 2 threads (/s) |\n|---|---:|---:|\n");
        for (var operation : List.of(EcdsaRates.JDK_SIGN, EcdsaRates.JDK_VERIFY, EcdsaRates.SDK_SIGN)) {
            md.append(f("| %s | %,.0f | %,.0f |%n", operation, rate(operation, 1), rate(operation, 2)));
        }

        md.append("\n## Throughput and latency\n\n");
        md.append("| workload | in flight | VALID tx/s | p50 ms | p99 ms | endorse p50 | order p50 | commit wait p50 | jobs/s | job p50 ms | job p99 ms "
                + "| tx/block | non-VALID | errors | CPU cores: devnet+clients / chaincode / others / steal |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n");
        for (var p : phases) {
            boolean jobs = p.workload().equals(DevnetBenchmark.JOB_LIFECYCLE);
            md.append(f("| %s | %d | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %.1f | %s | %d | %.2f / %.2f / %.2f / %.2f |%n",
                    p.workload(), p.concurrency(), p.txPerSecond(), p.latency().p50(), p.latency().p99(),
                    p.stages()[0].p50(), p.stages()[1].p50(), p.stages()[2].p50(),
                    jobs ? f("%.2f", p.jobsPerSecond()) : "–", jobs ? f("%.0f", p.jobLatency().p50()) : "–",
                    jobs ? f("%.0f", p.jobLatency().p99()) : "–", p.txPerBlock(), codes(p.invalid(), p.attempts()), p.failures(),
                    p.cpu().jvm(), p.cpu().chaincode(), p.cpu().others(), p.cpu().steal()));
        }
        for (var p : phases) {
            if (p.byType().size() > 1) {
                md.append(f("%n### %s, %d in flight: per transaction type%n%n", p.workload(), p.concurrency()));
                md.append("| type | VALID | p50 ms | p99 ms | mean ms |\n|---|---:|---:|---:|---:|\n");
                p.byType().forEach((type, l) -> md.append(f("| %s | %d | %.0f | %.0f | %.0f |%n", type, l.count(), l.p50(), l.p99(), l.mean())));
            }
        }
        for (var p : phases) {
            if (!p.failureSamples().isEmpty()) {
                md.append(f("%nErrors in %s, %d in flight: %s%n", p.workload(), p.concurrency(), String.join("; ", p.failureSamples())));
            }
        }

        md.append("\n## Cryptographic ceiling\n\nSignatures and verifications counted per transaction attempt (clients: the Gateway "
                + "SDK's signer; devnet: every SHA256withECDSA sign/verify in the JVM, block signatures included), priced at the "
                + "rates above. Ceiling = VALID tx/s if the 2 cores did nothing but that ECDSA work (2-thread rates, invalid "
                + "attempts charged to the valid ones).\n\n");
        md.append("| workload | in flight | client signs/tx | devnet signs/tx | verifies/tx | ECDSA ms/tx (1 core) | ceiling tx/s | measured tx/s | measured / ceiling |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var c : ceilings) {
            md.append(f("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.0f | %.1f | %.0f%% |%n", c.workload(), c.concurrency(),
                    c.clientSigns(), c.devnetSigns(), c.verifies(), c.cryptoMillisPerTx(), c.ceilingTxPerSecond(),
                    c.measuredTxPerSecond(), 100 * c.measuredTxPerSecond() / c.ceilingTxPerSecond()));
        }

        var profiled = phases.stream().filter(p -> p.profile() != null).toList();
        if (!profiled.isEmpty()) {
            md.append("\n## Where the benchmark JVM's CPU went (JFR execution samples, 10 ms)\n\n");
            md.append("Each sample is counted under the first stage on its stack (in this order); \"ECDSA\" = samples with EC or "
                    + "signature code on the stack. The chaincode runs in its own process (CPU column above).\n");
            for (var p : profiled) {
                var profile = p.profile();
                md.append(f("%n### %s, %d in flight: %d samples, %.0f%% in ECDSA (%s)%n%n", p.workload(), p.concurrency(),
                        profile.samples(), pct(profile.cryptoSamples(), profile.samples()), profile.recording().getFileName()));
                md.append("| stage | % of samples | of which ECDSA |\n|---|---:|---:|\n");
                profile.stages().forEach((stage, s) -> md.append(f("| %s | %.0f%% | %.0f%% |%n", stage,
                        pct(s.samples(), profile.samples()), pct(s.crypto(), s.samples()))));
            }
        }
        md.append("\n## CPU by thread group in the benchmark JVM (cores)\n\n");
        for (var p : phases) {
            var top = new LinkedHashMap<String, Double>();
            p.cpu().jvmThreads().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                    .forEach(e -> top.put(e.getKey(), e.getValue()));
            md.append(f("- %s, %d in flight: ", p.workload(), p.concurrency()));
            md.append(String.join(", ", top.entrySet().stream().map(e -> f("%s %.2f", e.getKey(), e.getValue())).toList())).append('\n');
        }
        return md.toString();
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
