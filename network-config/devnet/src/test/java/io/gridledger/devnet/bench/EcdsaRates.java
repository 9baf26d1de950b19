package io.gridledger.devnet.bench;

import org.hyperledger.fabric.client.identity.Signers;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This machine's ECDSA P-256 rates, the ceiling under devnet's throughput: how many signatures and verifications
 * per second one thread and two threads achieve with the engines devnet and its clients use — the JDK's
 * {@code SHA256withECDSA} (SunEC; peers, orderer, validator) and the Fabric Gateway SDK's signer (BouncyCastle
 * {@code NONEwithECDSA} over a SHA-256 digest; clients). Messages are 2 KiB, about a proposal's size.
 */
final class EcdsaRates {

    /** One operation measured on {@code threads} threads: {@code perSecond} operations per second in all. */
    record Rate(String operation, int threads, double perSecond) {
    }

    /** An operation, instantiated once per thread (engines are not thread-safe). */
    private interface Operation {
        void run() throws GeneralSecurityException;
    }

    private interface OperationFactory {
        Operation create() throws GeneralSecurityException;
    }

    static final String JDK_SIGN = "sign SHA256withECDSA (JDK SunEC: peers, orderer)";
    static final String JDK_VERIFY = "verify SHA256withECDSA (JDK SunEC: peers, orderer, validator)";
    static final String SDK_SIGN = "sign SHA-256 + NONEwithECDSA (Gateway SDK, BouncyCastle: clients)";

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

        OperationFactory jdkSign = () -> {
            var engine = jdkSignature();
            return () -> {
                engine.initSign(keys.getPrivate());
                engine.update(message);
                engine.sign();
            };
        };
        OperationFactory jdkVerify = () -> {
            var engine = jdkSignature();
            return () -> {
                engine.initVerify(keys.getPublic());
                engine.update(message);
                if (!engine.verify(signature)) {
                    throw new IllegalStateException("a valid signature did not verify");
                }
            };
        };
        OperationFactory sdkSign = () -> {
            var sdk = Signers.newPrivateKeySigner(keys.getPrivate());
            return () -> sdk.sign(MessageDigest.getInstance("SHA-256").digest(message));
        };
        var rates = new ArrayList<Rate>();
        for (int threads : new int[]{1, 2}) {
            rates.add(rate(JDK_SIGN, threads, jdkSign));
            rates.add(rate(JDK_VERIFY, threads, jdkVerify));
            rates.add(rate(SDK_SIGN, threads, sdkSign));
        }
        return rates;
    }

    private static Signature jdkSignature() throws GeneralSecurityException {
        return Signature.getInstance(SignatureCounter.ALGORITHM, SignatureCounter.JDK_PROVIDER);
    }

    private Rate rate(String name, int threads, OperationFactory factory) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measure.toNanos();
        var done = new AtomicLong();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        var finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            var operation = factory.create();
            var thread = new Thread(() -> {
                try {
                    long counted = 0;
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        operation.run();
                        if (now >= measureFrom) {
                            counted++;
                        }
                    }
                    done.addAndGet(counted);
                } catch (Throwable e) {
                    failure.set(e);
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
        return new Rate(name, threads, done.get() / (measure.toNanos() / 1e9));
    }
}
