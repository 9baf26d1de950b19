package io.gridledger.devnet.bench;

import io.gridledger.devnet.network.ChaincodeProcess;
import io.gridledger.devnet.network.DevnetNetwork;
import io.gridledger.devnet.network.Transactions;
import io.gridledger.devnet.orderer.BatchSettings;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.hyperledger.fabric.client.Contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The devnet benchmark: committed transactions per second and submit-to-commit latency of a three-org devnet with
 * MAJORITY endorsement, driven through the Fabric Gateway SDK and the unchanged chaincode jar, next to this machine's
 * ECDSA P-256 rates and the signatures and verifications each transaction needs. Not a test: it asserts nothing
 * about speed, and {@code mvn verify} does not run it.
 *
 * <pre>
 * ./gridledger bench                     # builds the chaincode and devnet, then runs this
 * ./gridledger bench --quick             # short windows, for trying it out
 * ./gridledger bench --write 1,8,32 --jobs 16 --warmup 10 --measure 20 --batch-timeout-ms 100 --batch-size 100
 * ./gridledger bench --verify-with sunec # comparison: devnet's verifications computed by the JDK's SunEC, not BouncyCastle
 * ./gridledger bench --jobs-only         # the job-lifecycle phases alone: no simple writes, no ECDSA rates
 * ./gridledger bench --compare HEAD~1 --jobs-only  # REF's benchmark, then this one, side by side (BenchComparison)
 * ./gridledger bench --fabric-workload   # issue 13's comparison with real Fabric alone (FabricWorkload)
 * ./gridledger bench --fabric-workload --fabric-tx 1000 --fabric-repetitions 1   # a shorter variant of it
 * </pre>
 *
 * Workloads, each as a closed loop of N workers with a warm-up and a measured window:
 * <ul>
 *   <li>simple write: {@code PublishOffer} of a fresh, stake-free offer in a class nobody matches, by node1 of the
 *       three orgs in turn (each through its own org's peer): it reads only the parameters and its own offer id and
 *       writes only its own keys. (A {@code Deposit} no longer serves: deposits of one org share its supply counter.)</li>
 *   <li>job lifecycle: {@code SubmitJob → MatchJobs → CommitResult ×2 → RevealResult ×2 → SettleJob} (see
 *       {@link JobLifecycle}).</li>
 * </ul>
 * Then, on a devnet of its own, the workload issue 13 compared devnet and real Fabric with ({@link FabricWorkload}: blind
 * writes by a minimal chaincode, TLS, configtx.yaml's batch settings, 3,000 transactions 50 in flight, a warm-up and 3
 * measured repetitions), with the issue's target met or not; {@code --no-fabric-workload} leaves it out.
 * Results: printed, and written to {@code target/bench/results.md} and {@code results.json}, with one JFR recording
 * per measured phase.
 */
public final class DevnetBenchmark {

    static final String SIMPLE_WRITE = "simple write (PublishOffer)";
    static final String JOB_LIFECYCLE = "job lifecycle";

    private static final List<String> ORGS = Transactions.ORGS;
    private static final List<String> PROVIDER_ORGS = List.of("Org2MSP", "Org3MSP");

    private DevnetBenchmark() {
    }

    /** Command-line options; see the class comment. {@code ecdsaWarmUp} is CPU time per thread. */
    record Options(List<Integer> writeConcurrency, List<Integer> jobConcurrency, Duration warmUp, Duration measure,
                   Duration ecdsaWarmUp, Duration ecdsaMeasure, BatchSettings batch, boolean profile, boolean skipEcdsa,
                   Provider verifier, Path out, Optional<FabricWorkload.Settings> fabric) {

        /** Whether the simple-write and job-lifecycle phases run (not with --fabric-workload alone). */
        boolean phases() {
            return !writeConcurrency.isEmpty() || !jobConcurrency.isEmpty();
        }

        static Options parse(String[] args) {
            var values = new LinkedHashMap<String, String>();
            boolean quick = false;
            boolean profile = true;
            boolean skipEcdsa = false;
            boolean jobsOnly = false;
            boolean fabricOnly = false;
            boolean noFabric = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--no-profile" -> profile = false;
                    case "--no-ecdsa" -> skipEcdsa = true;
                    case "--jobs-only" -> jobsOnly = true;
                    case "--fabric-workload" -> fabricOnly = true;
                    case "--no-fabric-workload" -> noFabric = true;
                    case "--write", "--jobs", "--warmup", "--measure", "--batch-timeout-ms", "--batch-size", "--verify-with", "--out",
                         "--fabric-tx", "--fabric-in-flight", "--fabric-repetitions" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(args[i] + " needs a value");
                        }
                        values.put(args[i], args[++i]);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --quick --no-profile --no-ecdsa --jobs-only --write N,N --jobs N,N --warmup S --measure S "
                            + "--batch-timeout-ms MS --batch-size N --verify-with devnet|sunec|bc --out DIR "
                            + "--fabric-workload --no-fabric-workload --fabric-tx N --fabric-in-flight N --fabric-repetitions N");
                }
            }
            if (jobsOnly && values.containsKey("--write")) {
                throw new IllegalArgumentException("--jobs-only runs no simple writes: drop --write " + values.get("--write"));
            }
            if (fabricOnly && (jobsOnly || noFabric || values.containsKey("--write") || values.containsKey("--jobs"))) {
                throw new IllegalArgumentException("--fabric-workload runs the Fabric comparison workload alone: "
                        + "drop --jobs-only, --no-fabric-workload, --write and --jobs");
            }
            var fabric = FabricWorkload.Settings.ISSUE.withTransactions(Integer.parseInt(values.getOrDefault("--fabric-tx",
                            quick ? "500" : String.valueOf(FabricWorkload.Settings.ISSUE.transactions()))))
                    .withInFlight(Integer.parseInt(values.getOrDefault("--fabric-in-flight",
                            String.valueOf(FabricWorkload.Settings.ISSUE.inFlight()))))
                    .withRepetitions(Integer.parseInt(values.getOrDefault("--fabric-repetitions",
                            String.valueOf(FabricWorkload.Settings.ISSUE.repetitions()))));
            var warmUp = Duration.ofSeconds(Long.parseLong(values.getOrDefault("--warmup", quick ? "3" : "10")));
            var measure = Duration.ofSeconds(Long.parseLong(values.getOrDefault("--measure", quick ? "6" : "20")));
            var batch = new BatchSettings(Duration.ofMillis(Long.parseLong(values.getOrDefault("--batch-timeout-ms", "100"))),
                    Integer.parseInt(values.getOrDefault("--batch-size", "100")), 2L << 20, 10L << 20);
            return new Options(jobsOnly || fabricOnly ? List.of() : list(values.getOrDefault("--write", quick ? "1,32" : "1,8,32,64")),
                    fabricOnly ? List.of() : list(values.getOrDefault("--jobs", quick ? "8" : "8,32")), warmUp, measure,
                    Duration.ofSeconds(quick ? 2 : 4), Duration.ofSeconds(quick ? 3 : 5), batch, profile, skipEcdsa || jobsOnly,
                    verifier(values.getOrDefault("--verify-with", "devnet")), Path.of(values.getOrDefault("--out", "target/bench")),
                    jobsOnly || noFabric ? Optional.empty() : Optional.of(fabric));
        }

        /**
         * Who computes devnet's verifications: devnet itself (null: its lightweight P-256 engine, counted by
         * EcdsaSignatures), or, to measure the difference, the JCA's BouncyCastle or SunEC engine.
         */
        private static Provider verifier(String name) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "devnet" -> null;
                case "sunec" -> Security.getProvider(SignatureCounter.JDK_PROVIDER);
                case "bc" -> new BouncyCastleProvider();
                default -> throw new IllegalArgumentException("--verify-with takes devnet, sunec or bc, not " + name);
            };
        }

        private static List<Integer> list(String csv) {
            return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
        }
    }

    public static void main(String[] args) throws Exception {
        var options = Options.parse(args);
        SignatureCounter.install(options.verifier()); // before devnet caches its per-thread signature engines
        Files.createDirectories(options.out());
        var setup = new Report.Setup(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), machine(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                CpuMeter.loadAverage(),
                options.phases() ? f("timeout %d ms, max %d tx", options.batch().timeout().toMillis(), options.batch().maxMessageCount())
                        : "see the Fabric comparison workload",
                f("%sdevnet verifies with %s", options.phases() ? f("warm-up %d s, measured %d s per phase; ",
                        options.warmUp().toSeconds(), options.measure().toSeconds()) : "", options.verifier() == null ? "its own lightweight BouncyCastle P-256 engine" : options.verifier().getName()));
        var rates = List.<EcdsaRates.Rate>of();
        if (!options.skipEcdsa()) {
            System.out.println("ECDSA P-256 rates...");
            rates = new EcdsaRates(options.ecdsaWarmUp(), options.ecdsaMeasure()).measureAll();
        }
        rates.forEach(r -> System.out.printf("  %-70s %d thread(s): %,8.0f/s, %,8.0f per CPU-second%n", r.operation(),
                r.threads(), r.perSecond(), r.perCpuSecond()));

        var phases = new ArrayList<PhaseResult>();
        if (options.phases()) {
            runPhases(options, phases);
        }
        FabricWorkload.Result fabric = null;
        if (options.fabric().isPresent()) {
            fabric = FabricWorkload.run(options.fabric().get(), options.out(), options.profile());
        }
        var report = new Report(setup, rates, phases,
                options.verifier() == null ? EcdsaRates.DEVNET_VERIFY
                        : options.verifier() instanceof BouncyCastleProvider ? EcdsaRates.BC_VERIFY : EcdsaRates.JDK_VERIFY, fabric);
        report.write(options.out());
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("Written to " + options.out().toAbsolutePath().resolve("results.md") + " and results.json");
        System.exit(0); // gRPC and chaincode threads would otherwise keep the JVM up
    }

    /** The simple-write and job-lifecycle phases, on a devnet of their own (the test harness's, with the GridLedger chaincode). */
    private static void runPhases(Options options, List<PhaseResult> phases) throws Exception {
        var dataDir = Files.createTempDirectory(options.out().toAbsolutePath(), "devnet-data-");
        try (var network = DevnetNetwork.start(dataDir, config -> config.withBatch(options.batch()))) {
            var bench = new Connected(network);
            // No minimum stake, so that the simple write can publish offers without touching any balance.
            Transactions.bootstrap(bench.admins.get(0), bench.admins.get(1),
                    Transactions.with(Transactions.params(), "minStakePerSlot", 0));
            var cpu = new CpuMeter(network.devnet().memberOrgs().stream().map(org -> ChaincodeProcess.shared(org).handle()).toList());
            for (int concurrency : options.writeConcurrency()) {
                phases.add(simpleWrite(options, network, bench, cpu, concurrency));
                print(phases.get(phases.size() - 1));
            }
            bench.prepareMarket(options.jobConcurrency().stream().mapToInt(Integer::intValue).max().orElse(1));
            for (int concurrency : options.jobConcurrency()) {
                phases.add(jobLifecycle(options, network, bench, cpu, concurrency));
                print(phases.get(phases.size() - 1));
            }
            // The Fabric comparison workload runs its own chaincode servers: these would only sit in memory.
            network.devnet().memberOrgs().forEach(org -> ChaincodeProcess.shared(org).stop());
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static PhaseResult simpleWrite(Options options, DevnetNetwork network, Connected bench, CpuMeter cpu,
                                           int concurrency) throws InterruptedException {
        System.out.printf("%s, %d in flight...%n", SIMPLE_WRITE, concurrency);
        var samples = new TxSamples();
        var meter = meter(options, network, cpu, "write-" + concurrency);
        var window = LoadRun.run("write" + concurrency, concurrency, options.warmUp(), options.measure(), samples, meter,
                (worker, sequence) -> {
                    int org = (int) ((worker + sequence) % ORGS.size());
                    var offerId = "bench-" + concurrency + "-" + worker + "-" + sequence;
                    samples.add(TimedSubmit.once(bench.writers.get(org), "PublishOffer", writeOffer(offerId)).attempt());
                });
        return PhaseResult.of(SIMPLE_WRITE, concurrency, window, samples, meter);
    }

    /**
     * An offer nobody matches (its own resource class, {@code bench/cpu}) staking nothing: publishing it reads only the
     * parameters and its own id, and writes only keys of its own.
     */
    private static String writeOffer(String offerId) {
        return Transactions.json(Map.of("offerId", offerId, "slots", 1, "unitPrice", 1, "stake", 0,
                "slot", Map.of("cpuMillis", 1000, "memoryMiB", 1024, "gpuCount", 0, "storageMiB", 0, "arch", "bench")));
    }

    private static PhaseResult jobLifecycle(Options options, DevnetNetwork network, Connected bench, CpuMeter cpu,
                                            int concurrency) throws Exception {
        System.out.printf("%s, %d jobs in flight...%n", JOB_LIFECYCLE, concurrency);
        var samples = new TxSamples();
        var meter = meter(options, network, cpu, "jobs-" + concurrency);
        TxSamples.Window window;
        try (var lifecycle = new JobLifecycle(bench.clients, bench.providers, bench.admins.get(0), samples, "job" + concurrency)) {
            window = LoadRun.run("jobs" + concurrency, concurrency, options.warmUp(), options.measure(), samples, meter,
                    lifecycle::runJob);
        }
        return PhaseResult.of(JOB_LIFECYCLE, concurrency, window, samples, meter);
    }

    private static PhaseMeter meter(Options options, DevnetNetwork network, CpuMeter cpu, String phase) {
        return new PhaseMeter(cpu, network.devnet().ledger(), options.profile() ? options.out().resolve(phase + ".jfr") : null);
    }

    private static void print(PhaseResult p) {
        System.out.printf("  %.1f VALID tx/s, p50 %.0f ms, p99 %.0f ms, %d non-VALID %s, %d errors%s%n", p.txPerSecond(),
                p.latency().p50(), p.latency().p99(), p.attempts() - p.validTx(), p.invalid(), p.failures(),
                p.jobs() > 0 ? f("; %.2f jobs/s, job p50 %.0f ms, p99 %.0f ms", p.jobsPerSecond(), p.jobLatency().p50(), p.jobLatency().p99()) : "");
    }

    /** The benchmark's Gateway connections, with every client signature counted. */
    private static final class Connected {
        final List<Contract> admins = new ArrayList<>();
        final List<Contract> clients = new ArrayList<>();
        /** node1 of every org: who publishes offers in the simple write. */
        final List<Contract> writers = new ArrayList<>();
        final Map<String, Contract> providers = new LinkedHashMap<>();
        private final DevnetNetwork network;

        Connected(DevnetNetwork network) {
            this.network = network;
            for (var org : ORGS) {
                admins.add(contract(org, "Admin"));
                clients.add(contract(org, "User1"));
                writers.add(contract(org, "node1"));
            }
            for (var org : PROVIDER_ORGS) {
                providers.put(account(org, "node1"), contract(org, "node1"));
            }
        }

        private Contract contract(String mspId, String user) {
            return network.connect(mspId, user, SignatureCounter::counting).getNetwork("gridledger").getContract("gridledger");
        }

        /** "Org2MSP/node1@org2.gridledger.example": the chaincode's account id of a user. */
        static String account(String mspId, String user) {
            var org = mspId.replace("MSP", "").toLowerCase(java.util.Locale.ROOT);
            return mspId + "/" + user + "@" + org + ".gridledger.example";
        }

        /** Funds the clients and providers and publishes one offer per provider org with a slot per job in flight. */
        void prepareMarket(int jobsInFlight) throws Exception {
            for (int i = 0; i < ORGS.size(); i++) {
                admins.get(i).submitTransaction("Deposit", account(ORGS.get(i), "User1"), "1000000000000");
            }
            int slots = Math.min(1_024, jobsInFlight + 8);
            long price = 10;
            for (var org : PROVIDER_ORGS) {
                admins.get(ORGS.indexOf(org)).submitTransaction("Deposit", account(org, "node1"), "100000000");
                providers.get(account(org, "node1")).submitTransaction("PublishOffer",
                        Transactions.offer("offer-" + org, price++, slots));
            }
        }
    }

    private static String machine() {
        String model = "unknown CPU";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
        } catch (IOException e) {
            // not Linux: the model stays unknown
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return f("%s, %d cores, %.0f GiB memory, %s %s", model, Runtime.getRuntime().availableProcessors(),
                os.getTotalMemorySize() / (double) (1L << 30), System.getProperty("os.name"), System.getProperty("os.version"));
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String f(String format, Object... args) {
        return String.format(java.util.Locale.ROOT, format, args);
    }
}
