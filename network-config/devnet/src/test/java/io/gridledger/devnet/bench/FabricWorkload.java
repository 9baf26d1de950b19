package io.gridledger.devnet.bench;

import io.gridledger.devnet.bench.TxSamples.Latency;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.network.ChaincodeProcess;
import io.gridledger.devnet.network.DevnetNetwork;
import io.gridledger.devnet.orderer.BatchSettings;
import org.hyperledger.fabric.client.Contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workload issue 13 ("Faster than Fabric") measured devnet and a real Fabric 2.5 network with, side by side:
 * blind writes of one key per transaction by a minimal Java chaincode-as-a-service ({@link BlindWriteChaincode}, one
 * server JVM per org), 3 orgs, chaincode endorsement policy {@code MAJORITY Endorsement}, orderer BatchTimeout 250 ms
 * and MaxMessageCount 100 ({@code network.sh}'s configtx.yaml), TLS, driven by the unmodified Fabric Gateway SDK:
 * a fixed number of transactions per repetition (3,000) with a fixed number in flight (50, a closed loop), one
 * unmeasured warm-up repetition of the same size, then the measured ones (3).
 *
 * <p>A repetition's committed tx/s = its VALID transactions ÷ the time from its first proposal to its last commit
 * status. Every key is unique (repetition and index), so nothing conflicts. Each repetition is metered like a phase
 * of the benchmark ({@link PhaseMeter}: CPU of this JVM and of the chaincode servers, blocks, ECDSA operations); the
 * profile, when asked, comes from one more repetition after them, recorded with JFR and not counted (the recording
 * costs CPU of its own).
 *
 * <pre>{@code
 * var result = FabricWorkload.run(FabricWorkload.Settings.ISSUE, Path.of("target/bench"), true);
 * }</pre>
 */
final class FabricWorkload {

    static final String NAME = "Fabric comparison workload (blind write)";

    /**
     * What to run: {@code transactions} per repetition with {@code inFlight} at a time, {@code repetitions} measured
     * after one warm-up of the same size, blocks cut after {@code batchTimeoutMillis} or {@code maxMessageCount}
     * transactions, peers serving {@code tls}.
     */
    record Settings(int transactions, int inFlight, int repetitions, long batchTimeoutMillis, int maxMessageCount, boolean tls) {
        Settings {
            if (transactions < 1 || inFlight < 1 || repetitions < 1) {
                throw new IllegalArgumentException("the Fabric workload needs at least 1 transaction, 1 in flight and 1 "
                        + "repetition, got " + transactions + ", " + inFlight + ", " + repetitions);
            }
        }

        /** The issue's: 3,000 transactions, 50 in flight, 3 measured repetitions, 250 ms / 100 tx blocks, TLS. */
        static final Settings ISSUE = new Settings(3_000, 50, 3, 250, 100, true);

        Settings withTransactions(int count) {
            return new Settings(count, inFlight, repetitions, batchTimeoutMillis, maxMessageCount, tls);
        }

        Settings withInFlight(int count) {
            return new Settings(transactions, count, repetitions, batchTimeoutMillis, maxMessageCount, tls);
        }

        Settings withRepetitions(int count) {
            return new Settings(transactions, inFlight, count, batchTimeoutMillis, maxMessageCount, tls);
        }

        /** Block cutting as configtx.yaml's orderer section has it (2 MB preferred, 10 MB absolute). */
        BatchSettings toBatch() {
            return new BatchSettings(Duration.ofMillis(batchTimeoutMillis), maxMessageCount, 2L << 20, 10L << 20);
        }
    }

    /**
     * One repetition: {@code label} "warm-up" or its number; latency and its stages of the VALID transactions;
     * cryptography per transaction attempted; CPU seconds per 1,000 VALID transactions of this JVM (devnet and the
     * clients) and of the chaincode servers together; other processes' cores during it.
     */
    record Repetition(String label, boolean measured, int transactions, int valid, Map<String, Integer> invalid,
                      int errors, List<String> errorSamples, double seconds, double txPerSecond, Latency latency,
                      Latency[] stages, long blocks, double txPerBlock, double clientSignsPerTx, double devnetSignsPerTx,
                      double verifiesPerTx, double devnetCpuSecondsPer1000Tx, double chaincodeCpuSecondsPer1000Tx,
                      double othersCores, Map<String, Double> jvmThreads, SampledProfile.Summary profile,
                      BlockCycles cycles) {
    }

    /**
     * The whole run: every repetition (the warm-up first), the median committed tx/s of the measured ones, and the
     * latency over all their VALID transactions together.
     */
    record Result(Settings settings, String network, List<Repetition> repetitions, double medianTxPerSecond,
                  Latency latency, double clientSignsPerTx, double devnetSignsPerTx, double verifiesPerTx,
                  double devnetCpuSecondsPer1000Tx, double chaincodeCpuSecondsPer1000Tx) {

        /** The repetition run with {@link #SATURATING_IN_FLIGHT} in flight, if it ran. */
        java.util.Optional<Repetition> saturated() {
            return repetitions.stream().filter(r -> r.label().equals(SATURATED)).findFirst();
        }

        List<Repetition> measured() {
            return repetitions.stream().filter(Repetition::measured).toList();
        }
    }

    private record Measured(Repetition repetition, List<TxSamples.Attempt> attempts) {
    }

    /** In flight for the repetition that saturates the CPU (blocks cut by their message count, not the timeout). */
    static final int SATURATING_IN_FLIGHT = 300;
    static final String SATURATED = "saturated, " + SATURATING_IN_FLIGHT + " in flight";

    private FabricWorkload() {
    }

    /**
     * Starts a chaincode server per member org and a devnet hosting it as {@code settings} say, runs the workload and
     * stops both. With {@code profile}, one more repetition, not counted, is recorded to {@code out/fabric-workload.jfr}.
     */
    static Result run(Settings settings, Path out, boolean profile) throws Exception {
        var mspIds = DevnetNetwork.memberOrgs(DevnetNetwork.FABRIC_DIR, 0);
        var servers = mspIds.stream().map(org -> ChaincodeProcess.startMain(BlindWriteChaincode.class.getName(),
                BlindWriteChaincode.ID, org)).toList();
        var definition = new ChaincodeDefinition(BlindWriteChaincode.NAME, "1.0", 1, "/Channel/Application/Endorsement",
                ChaincodeProcess.addresses(servers));
        var dataDir = Files.createTempDirectory(out.toAbsolutePath(), "devnet-fabric-workload-");
        try (var network = DevnetNetwork.start(dataDir, config -> config.withTls(settings.tls()).withBatch(settings.toBatch())
                .withChaincodes(List.of(definition)))) {
            var channel = network.devnet().config().channel();
            var contracts = mspIds.stream().map(org -> network.connect(org, "User1", SignatureCounter::counting)
                    .getNetwork(channel).getContract(BlindWriteChaincode.NAME)).toList();
            var cpu = new CpuMeter(servers.stream().map(ChaincodeProcess::handle).toList());
            var ledger = network.devnet().ledger();
            var runs = new ArrayList<Measured>();
            runs.add(repetition("warm-up", false, settings, contracts, cpu, ledger, null));
            for (int r = 1; r <= settings.repetitions(); r++) {
                runs.add(repetition(String.valueOf(r), true, settings, contracts, cpu, ledger, null));
            }
            // The ECDSA criterion is about CPU, and 50 in flight cannot saturate it: with a 250 ms batch timeout no
            // network commits more than 50 per 250 ms. This repetition fills blocks to their message count instead.
            runs.add(repetition(SATURATED, false, settings.withInFlight(SATURATING_IN_FLIGHT), contracts, cpu, ledger, null));
            if (profile) {
                // Recorded apart: the recording's own cost stays out of the measured repetitions.
                runs.add(repetition("profiled", false, settings, contracts, cpu, ledger, out.resolve("fabric-workload.jfr")));
            }
            var description = String.format(java.util.Locale.ROOT, "devnet: %d orgs (%s), one peer and one %s server "
                            + "(own JVM) each, MAJORITY Endorsement, BatchTimeout %d ms, MaxMessageCount %d, TLS %s; "
                            + "clients: User1 of each org through its own org's peer, in turn",
                    mspIds.size(), String.join(", ", mspIds), BlindWriteChaincode.ID, settings.batchTimeoutMillis(),
                    settings.maxMessageCount(), settings.tls() ? "on" : "off");
            return summarise(settings, description, runs);
        } finally {
            servers.forEach(ChaincodeProcess::stop);
            DevnetBenchmark.deleteRecursively(dataDir);
        }
    }

    private static Result summarise(Settings settings, String network, List<Measured> runs) {
        var measured = runs.stream().filter(m -> m.repetition().measured()).toList();
        var rates = measured.stream().mapToDouble(m -> m.repetition().txPerSecond()).sorted().toArray();
        double median = rates.length % 2 == 1 ? rates[rates.length / 2] : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
        var pooled = measured.stream().flatMap(m -> m.attempts().stream()).toList();
        return new Result(settings, network, runs.stream().map(Measured::repetition).toList(), median,
                TxSamples.latency(pooled, a -> true),
                mean(measured, Repetition::clientSignsPerTx), mean(measured, Repetition::devnetSignsPerTx),
                mean(measured, Repetition::verifiesPerTx), mean(measured, Repetition::devnetCpuSecondsPer1000Tx),
                mean(measured, Repetition::chaincodeCpuSecondsPer1000Tx));
    }

    private static double mean(List<Measured> runs, java.util.function.ToDoubleFunction<Repetition> figure) {
        return runs.stream().map(Measured::repetition).mapToDouble(figure).average().orElse(Double.NaN);
    }

    /** Runs {@code settings.transactions()} blind writes, {@code settings.inFlight()} at a time, and meters them. */
    private static Measured repetition(String label, boolean measured, Settings settings, List<Contract> contracts,
                                       CpuMeter cpu, ChannelLedger ledger, Path jfr) throws InterruptedException {
        System.out.printf("%s, %s: %,d transactions, %d in flight...%n", NAME, measured ? "repetition " + label : label,
                settings.transactions(), settings.inFlight());
        var samples = new TxSamples();
        var meter = new PhaseMeter(cpu, ledger, jfr);
        var next = new AtomicInteger();
        var keyPrefix = "bench-" + label + "-";
        var workers = new ArrayList<Thread>();
        // Workers wait after their last transaction until the meter has read the threads' CPU, so theirs is in it.
        var finished = new CountDownLatch(settings.inFlight());
        var metered = new CountDownLatch(1);
        meter.started();
        meter.opened();
        long from = System.nanoTime();
        for (int w = 0; w < settings.inFlight(); w++) {
            var worker = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < settings.transactions(); i = next.getAndIncrement()) {
                    try {
                        samples.add(TimedSubmit.once(contracts.get(i % contracts.size()), BlindWriteChaincode.PUT,
                                keyPrefix + i, Integer.toString(i)).attempt());
                    } catch (Exception e) {
                        samples.fail(BlindWriteChaincode.PUT, e);
                    }
                }
                finished.countDown();
                try {
                    metered.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-fabric-" + w);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        finished.await();
        long to = System.nanoTime();
        meter.closed();
        meter.stopped();
        metered.countDown();
        for (var worker : workers) {
            worker.join();
        }

        var window = new TxSamples.Window(from, to + 1);
        var attempts = samples.attempts(window);
        var valid = attempts.stream().filter(TxSamples.Attempt::valid).toList();
        var failures = samples.failures(window);
        double seconds = window.seconds();
        var usage = meter.usage();
        var crypto = meter.crypto();
        double perTx = attempts.isEmpty() ? Double.NaN : 1.0 / attempts.size();
        double per1000 = valid.isEmpty() ? Double.NaN : seconds * 1_000 / valid.size();
        var repetition = new Repetition(label, measured, attempts.size(), valid.size(), TxSamples.invalidCodes(attempts),
                failures.size(), failures.stream().map(TxSamples.Failure::message).distinct().limit(5).toList(), seconds,
                valid.size() / seconds, TxSamples.latency(attempts, a -> true), TxSamples.stages(attempts), meter.blocks(),
                meter.blocks() == 0 ? Double.NaN : (double) attempts.size() / meter.blocks(),
                crypto.clientSigns() * perTx, crypto.signs() * perTx, crypto.verifies() * perTx,
                usage.jvm() * per1000, usage.chaincode() * per1000, usage.others(), usage.jvmThreads(),
                meter.profile().orElse(null), BlockCycles.of(valid, settings.batchTimeoutMillis()));
        System.out.printf("  %.1f tx/s committed, p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, %d non-VALID, %d errors; "
                        + "CPU s per 1,000 tx: devnet+clients %.2f, chaincode %.2f%n", repetition.txPerSecond(),
                repetition.latency().p50(), repetition.latency().p95(), repetition.latency().p99(),
                repetition.transactions() - repetition.valid(), repetition.errors(),
                repetition.devnetCpuSecondsPer1000Tx(), repetition.chaincodeCpuSecondsPer1000Tx());
        return new Measured(repetition, valid);
    }
}
