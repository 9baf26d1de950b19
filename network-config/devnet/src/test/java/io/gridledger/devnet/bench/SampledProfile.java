package io.gridledger.devnet.bench;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sampling profile of this JVM during a measured phase, from Java Flight Recorder's execution samples (every 10 ms
 * per running Java thread; threads blocked or in native code are not sampled). Each sample is put in the first
 * {@link #STAGES stage} whose code is on its stack, and counted as cryptography when an elliptic-curve or signature
 * frame is on it. The recording is kept as a {@code .jfr} file for {@code jfr print} or JDK Mission Control.
 */
final class SampledProfile {

    /** A stage of devnet or of its clients, recognised by a class-name prefix on the stack. Checked in order. */
    private record Stage(String name, String classPrefix) {
    }

    private static final List<Stage> STAGES = List.of(
            new Stage("client: Gateway SDK (sign, build, gRPC calls)", "org.hyperledger.fabric.client."),
            new Stage("commit: block validation", "io.gridledger.devnet.ledger.BlockValidator"),
            new Stage("commit: block store append", "io.gridledger.devnet.ledger.blocks.BlockStore"),
            new Stage("commit: world state", "io.gridledger.devnet.ledger.state."),
            new Stage("commit: cut, sign, notify", "io.gridledger.devnet.ledger.ChannelLedger"),
            new Stage("orderer: broadcast checks", "io.gridledger.devnet.orderer."),
            new Stage("endorser: check, simulate, sign", "io.gridledger.devnet.peer.Endorser"),
            new Stage("chaincode protocol driver", "io.gridledger.devnet.chaincode."),
            new Stage("gateway service (plan, collect, status)", "io.gridledger.devnet.peer.GatewayServer"),
            new Stage("deliver service", "io.gridledger.devnet.peer.DeliverServer"),
            new Stage("other devnet code", "io.gridledger.devnet."),
            new Stage("gRPC / Netty transport", "io.grpc."));

    private static final List<String> CRYPTO_PREFIXES = List.of("sun.security.ec.", "sun.security.util.math.",
            "org.bouncycastle.math.ec.", "org.bouncycastle.crypto.signers.", "java.security.Signature");

    /** Samples per stage; {@code crypto} counts those of them with ECDSA on the stack. */
    record StageSamples(long samples, long crypto) {
    }

    /**
     * {@code topFrames}: the methods most often at the top of a sample (where the CPU was), most first;
     * {@code devnetPackages}: samples by the package of the devnet frame nearest the top of their stack (devnet's own
     * code and what it called), the benchmark's client threads under {@value #CLIENTS}, and the samples with neither
     * (transport, JIT…) under {@value #NO_DEVNET_FRAME}; {@code devnetMethods}: the same by the devnet method.
     */
    record Summary(long samples, long cryptoSamples, Map<String, StageSamples> stages, Map<String, Long> topFrames,
                   Map<String, Long> devnetPackages, Map<String, Long> devnetMethods, Path recording) {
    }

    static final String NO_DEVNET_FRAME = "(no devnet frame)";
    static final String CLIENTS = "(the benchmark's clients: Gateway SDK)";
    private static final String DEVNET_PREFIX = "io.gridledger.devnet.";
    private static final String BENCH_PREFIX = SampledProfile.class.getPackageName() + ".";
    private static final int TOP = 20;

    private final Recording recording = new Recording();

    SampledProfile() {
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.setName("devnet-bench");
    }

    void start() {
        recording.start();
    }

    Summary stop(Path file) throws IOException {
        recording.stop();
        recording.dump(file);
        recording.close();
        var stages = new LinkedHashMap<String, long[]>();
        STAGES.forEach(s -> stages.put(s.name(), new long[2]));
        stages.put("other (JDK, JIT-compiled lambdas…)", new long[2]);
        var topFrames = new HashMap<String, Long>();
        var packages = new HashMap<String, Long>();
        var devnetMethods = new HashMap<String, Long>();
        long total = 0;
        long crypto = 0;
        for (var event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            total++;
            var stack = event.getStackTrace();
            boolean isCrypto = hasFrame(stack, CRYPTO_PREFIXES);
            crypto += isCrypto ? 1 : 0;
            var counts = stages.get(stageOf(stack));
            counts[0]++;
            counts[1] += isCrypto ? 1 : 0;
            var frames = stack.getFrames();
            if (!frames.isEmpty() && frames.get(0).getMethod() != null) {
                var top = frames.get(0).getMethod();
                topFrames.merge(top.getType().getName() + "." + top.getName(), 1L, Long::sum);
            }
            var devnetFrame = nearestDevnetFrame(frames);
            devnetMethods.merge(devnetFrame.method(), 1L, Long::sum);
            packages.merge(devnetFrame.packageName(), 1L, Long::sum);
        }
        var result = new LinkedHashMap<String, StageSamples>();
        stages.forEach((name, c) -> {
            if (c[0] > 0) {
                result.put(name, new StageSamples(c[0], c[1]));
            }
        });
        return new Summary(total, crypto, result, mostFirst(topFrames, TOP), mostFirst(packages, TOP),
                mostFirst(devnetMethods, TOP), file);
    }

    /** Where a sample is put by the devnet code nearest the top of its stack: a method and its package, or a label. */
    private record DevnetFrame(String method, String packageName) {
        static DevnetFrame label(String label) {
            return new DevnetFrame(label, label);
        }
    }

    /**
     * The devnet method nearest the top of the stack ({@code io.gridledger.devnet.peer.Endorser.endorse}), skipping the
     * benchmark's signature counter (it wraps devnet's own ECDSA calls); the benchmark's other code is its clients,
     * reported as {@value #CLIENTS}; a stack without either is {@value #NO_DEVNET_FRAME}.
     */
    private static DevnetFrame nearestDevnetFrame(List<RecordedFrame> frames) {
        for (var frame : frames) {
            if (frame.getMethod() == null || frame.getMethod().getType() == null) {
                continue;
            }
            var type = frame.getMethod().getType().getName();
            if (!type.startsWith(DEVNET_PREFIX) || type.startsWith(SignatureCounter.class.getName())) {
                continue;
            }
            if (type.startsWith(BENCH_PREFIX)) {
                return DevnetFrame.label(CLIENTS);
            }
            var outer = type.contains("$") ? type.substring(0, type.indexOf('$')) : type; // nested classes, lambdas
            return new DevnetFrame(type + "." + frame.getMethod().getName(), outer.substring(0, outer.lastIndexOf('.')));
        }
        return DevnetFrame.label(NO_DEVNET_FRAME);
    }

    private static Map<String, Long> mostFirst(Map<String, Long> counts, int limit) {
        var sorted = new LinkedHashMap<String, Long>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static String stageOf(RecordedStackTrace stack) {
        for (var stage : STAGES) {
            if (hasFrame(stack, List.of(stage.classPrefix()))) {
                return stage.name();
            }
        }
        return "other (JDK, JIT-compiled lambdas…)";
    }

    private static boolean hasFrame(RecordedStackTrace stack, List<String> prefixes) {
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod() == null || frame.getMethod().getType() == null) {
                continue;
            }
            var type = frame.getMethod().getType().getName();
            for (var prefix : prefixes) {
                if (type.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
