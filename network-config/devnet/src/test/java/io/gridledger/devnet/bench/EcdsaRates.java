package io.gridledger.devnet.bench;

import io.gridledger.devnet.msp.EcdsaSignatures;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.hyperledger.fabric.client.identity.Signers;

import java.lang.management.ManagementFactory;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This machine's ECDSA P-256 rates, the ceiling under devnet's throughput: how many signatures and verifications
 * per second one thread and two threads achieve with the engines devnet and its clients use — the JDK's
 * {@code SHA256withECDSA} signing (SunEC; peers, orderer), BouncyCastle's {@code SHA256withECDSA} verification (peers,
 * orderer, validator) and the Fabric Gateway SDK's signer (BouncyCastle {@code NONEwithECDSA} over a SHA-256 digest;
 * clients) — and, for comparison, the JDK's SunEC verification, which devnet used before.
 * Messages are 2 KiB, about a proposal's size.
 *
 * <p>Each thread warms up on its own CPU time, then all are measured over the same wall-clock window. Each rate is
 * given per second of wall-clock time (what the threads achieved on the machine as loaded) and per
 * second of the threads' own CPU time (what an operation costs, nearly independent of other load).
 */
final class EcdsaRates {

    /**
     * One operation measured on {@code threads} threads: {@code perSecond} operations per wall-clock second in all,
     * {@code perCpuSecond} per second of CPU time the threads used.
     */
    record Rate(String operation, int threads, double perSecond, double perCpuSecond) {
    }

    /** An operation, instantiated once per thread (engines are not thread-safe). */
    private interface Operation {
        void run() throws GeneralSecurityException;
    }

    private interface OperationFactory {
        Operation create() throws GeneralSecurityException;
    }

    static final String JDK_SIGN = "sign SHA256withECDSA (JDK SunEC, for comparison)";
    static final String JDK_VERIFY = "verify SHA256withECDSA (JDK SunEC, for comparison)";
    static final String SDK_SIGN = "sign SHA-256 + NONEwithECDSA (Gateway SDK, BouncyCastle: clients)";
    static final String BC_VERIFY = "verify SHA256withECDSA (BouncyCastle JCA, for comparison)";
    static final String DEVNET_SIGN = "sign SHA-256 P-256 (devnet: lightweight BouncyCastle, endorsers and orderer)";
    static final String DEVNET_VERIFY = "verify SHA-256 P-256 (devnet: lightweight BouncyCastle, key prepared once)";
    static final List<String> OPERATIONS = List.of(JDK_SIGN, JDK_VERIFY, SDK_SIGN, BC_VERIFY, DEVNET_SIGN, DEVNET_VERIFY);

    private final Duration warmUp;
    private final Duration measure;

    EcdsaRates(Duration warmUp, Duration measure) {
        this.warmUp = warmUp;
        this.measure = measure;
    }

    List<Rate> measureAll() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC", SignatureCounter.JDK_PROVIDER);
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        byte[] message = new byte[2048];
        new Random(1).nextBytes(message);
        var signer = jdkSignature();
        signer.initSign(keys.getPrivate());
        signer.update(message);
        byte[] signature = signer.sign();
        byte[] lowS = EcdsaSignatures.signOnce((ECPrivateKey) keys.getPrivate(), message);

        OperationFactory jdkSign = () -> {
            var engine = jdkSignature();
            return () -> {
                engine.initSign(keys.getPrivate());
                engine.update(message);
                engine.sign();
            };
        };
        OperationFactory jdkVerify = () -> verify(jdkSignature(), keys, message, signature);
        OperationFactory bcVerify = () -> verify(Signature.getInstance(SignatureCounter.ALGORITHM, new BouncyCastleProvider()),
                keys, message, signature);
        OperationFactory sdkSign = () -> {
            var sdk = Signers.newPrivateKeySigner(keys.getPrivate());
            return () -> sdk.sign(MessageDigest.getInstance("SHA-256").digest(message));
        };
        OperationFactory devnetSign = () -> () -> EcdsaSignatures.signOnce((ECPrivateKey) keys.getPrivate(), message);
        var devnetKey = new EcdsaSignatures.EcdsaKeyHandle((ECPublicKey) keys.getPublic());
        OperationFactory devnetVerify = () -> () -> {
            if (!EcdsaSignatures.verifyOnce(devnetKey, message, lowS)) {
                throw new IllegalStateException("a valid signature did not verify");
            }
        };
        var rates = new ArrayList<Rate>();
        for (int threads : new int[]{1, 2}) {
            rates.add(rate(DEVNET_SIGN, threads, devnetSign));
            rates.add(rate(DEVNET_VERIFY, threads, devnetVerify));
            rates.add(rate(JDK_SIGN, threads, jdkSign));
            rates.add(rate(JDK_VERIFY, threads, jdkVerify));
            rates.add(rate(SDK_SIGN, threads, sdkSign));
            rates.add(rate(BC_VERIFY, threads, bcVerify));
        }
        return rates;
    }

    private static Operation verify(Signature engine, KeyPair keys, byte[] message, byte[] signature) {
        return () -> {
            engine.initVerify(keys.getPublic());
            engine.update(message);
            if (!engine.verify(signature)) {
                throw new IllegalStateException("a valid signature did not verify");
            }
        };
    }

    private static Signature jdkSignature() throws GeneralSecurityException {
        return Signature.getInstance(SignatureCounter.ALGORITHM, SignatureCounter.JDK_PROVIDER);
    }

    /**
     * Each thread first runs the operation until it has used {@code warmUp} of CPU time (so the JIT has compiled it
     * however loaded the machine is); then all run it for the {@code measure} window together.
     */
    private Rate rate(String name, int threads, OperationFactory factory) throws Exception {
        var window = new long[2];
        var warmed = new CyclicBarrier(threads, () -> {
            window[0] = System.nanoTime();
            window[1] = window[0] + measure.toNanos();
        });
        var done = new AtomicLong();
        var cpuNanos = new AtomicLong();
        var failure = new AtomicReference<Throwable>();
        var finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            var operation = factory.create();
            var thread = new Thread(() -> {
                try {
                    var cpu = ManagementFactory.getThreadMXBean();
                    while (cpu.getCurrentThreadCpuTime() < warmUp.toNanos()) {
                        operation.run();
                    }
                    warmed.await();
                    long end = window[1];
                    long cpuFrom = cpu.getCurrentThreadCpuTime();
                    long counted = 0;
                    while (System.nanoTime() < end) {
                        operation.run();
                        counted++;
                    }
                    cpuNanos.addAndGet(cpu.getCurrentThreadCpuTime() - cpuFrom);
                    done.addAndGet(counted);
                } catch (Throwable e) {
                    failure.set(e);
                    warmed.reset();
                } finally {
                    finished.countDown();
                }
            }, "bench-ecdsa-" + t);
            thread.start();
        }
        finished.await();
        if (failure.get() != null) {
            throw new IllegalStateException(name + " failed", failure.get());
        }
        return new Rate(name, threads, done.get() / (measure.toNanos() / 1e9), done.get() / (cpuNanos.get() / 1e9));
    }
}
