package io.gridledger.devnet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the machine's CPU went during a measured phase: this JVM (devnet and the benchmark's clients), the chaincode
 * servers' processes (one per org; their sum), everything else on the machine (other engineers' builds), and, inside
 * this JVM, per group of threads. Linux-only for the machine-wide figures ({@code /proc/stat}, {@code /proc/loadavg}); elsewhere they are
 * reported as not available (NaN).
 */
final class CpuMeter {

    private static final double CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final List<ProcessHandle> chaincodes;

    /** @param chaincodes the chaincode servers' processes, whose CPU is counted together as "chaincode" */
    CpuMeter(List<ProcessHandle> chaincodes) {
        this.chaincodes = List.copyOf(chaincodes);
    }

    record Snapshot(long nanos, long jvmCpu, long chaincodeCpu, long[] machineTicks, Map<Long, ThreadCpu> threads) {
    }

    record ThreadCpu(String group, long cpuNanos) {
    }

    /**
     * Cores in use on average (1.0 = one core busy all the time) by each consumer, and the one-minute load average at
     * the end.
     */
    record Usage(double jvm, double chaincode, double others, double steal, double machine, Map<String, Double> jvmThreads,
                 double loadAverage) {
    }

    Snapshot snapshot() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threadBean = ManagementFactory.getThreadMXBean();
        var threads = new HashMap<Long, ThreadCpu>();
        for (var info : threadBean.getThreadInfo(threadBean.getAllThreadIds())) {
            if (info != null) {
                long cpu = threadBean.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    threads.put(info.getThreadId(), new ThreadCpu(group(info.getThreadName()), cpu));
                }
            }
        }
        long chaincodeCpu = 0;
        for (var chaincode : chaincodes) {
            long cpu = chaincode.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
            if (cpu < 0) {
                chaincodeCpu = -1; // one unknown makes the sum unknown
                break;
            }
            chaincodeCpu += cpu;
        }
        return new Snapshot(System.nanoTime(), os.getProcessCpuTime(), chaincodeCpu, machineTicks(), threads);
    }

    Usage between(Snapshot from, Snapshot to) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        double jvm = (to.jvmCpu() - from.jvmCpu()) / 1e9 / seconds;
        double chaincodeCores = from.chaincodeCpu() < 0 || to.chaincodeCpu() < 0
                ? Double.NaN : (to.chaincodeCpu() - from.chaincodeCpu()) / 1e9 / seconds;
        double machine = Double.NaN;
        double steal = Double.NaN;
        if (from.machineTicks() != null && to.machineTicks() != null) {
            long[] a = from.machineTicks();
            long[] b = to.machineTicks();
            machine = (b[0] - a[0]) / CLOCK_TICKS_PER_SECOND / seconds;
            steal = (b[1] - a[1]) / CLOCK_TICKS_PER_SECOND / seconds;
        }
        var groups = new TreeMap<String, Double>();
        to.threads().forEach((id, end) -> {
            var start = from.threads().get(id);
            long used = end.cpuNanos() - (start == null ? 0 : start.cpuNanos());
            groups.merge(end.group(), used / 1e9 / seconds, Double::sum);
        });
        groups.values().removeIf(cores -> cores < 0.005);
        // Clock ticks are coarser than the processes' CPU times: an idle rest can come out a hair below zero.
        double others = Math.max(0, machine - jvm - (Double.isNaN(chaincodeCores) ? 0 : chaincodeCores));
        return new Usage(jvm, chaincodeCores, others, steal, machine, groups, loadAverage());
    }

    /** "grpc-default-executor-12" and "grpc-default-executor-3" are one group. */
    static String group(String threadName) {
        return threadName.replaceAll("([-#]\\d+)+$", "");
    }

    /** Busy (user + nice + system + irq + softirq) and steal clock ticks of all CPUs, or null off Linux. */
    private static long[] machineTicks() {
        try {
            var fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[]{1, 2, 3, 6, 7}) {
                busy += Long.parseLong(fields[i]);
            }
            return new long[]{busy, fields.length > 8 ? Long.parseLong(fields[8]) : 0};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
