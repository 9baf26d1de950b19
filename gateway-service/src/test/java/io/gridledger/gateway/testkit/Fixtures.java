package io.gridledger.gateway.testkit;

import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.OfferSpec;
import io.gridledger.ledger.Resources;
import io.gridledger.ledger.Verification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Valid offers, jobs and result commitments for tests. Each test keeps its jobs on its own offers with a label
 * ({@link #pool}): the consortium is shared by every test of the JVM.
 */
public final class Fixtures {

    /** Distinguishes this JVM's assets from any earlier run's. */
    public static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private Fixtures() {
    }

    /** Labels that keep a test's jobs on its own offers. */
    public static Map<String, String> pool(String test) {
        return Map.of("pool", test + "-" + RUN);
    }

    public static String id(String kind, String test) {
        return kind + "-" + test + "-" + RUN;
    }

    /** An amd64 CPU offer staking the minimum, whose slots carry {@code labels}. */
    public static OfferSpec offer(String offerId, long price, int slots, Map<String, String> labels) {
        return new OfferSpec(offerId, new Resources(4000, 8192, 0, null, 10240, "amd64", labels), slots, price,
                LocalConsortium.MIN_STAKE * slots);
    }

    /** A replicated job (2 replicas, quorum 2) of one run of at most {@code timeoutSeconds}, due in a day. */
    public static JobSpec job(String jobId, long timeoutSeconds, Map<String, String> labels) {
        return new JobSpec(jobId, "registry.local/sim@sha256:" + "a".repeat(64), List.of("sh", "-c", "run"),
                Map.of("MODE", "fast"), List.of(new JobSpec.InputRef("data.bin", "b".repeat(64), 1024)),
                new Resources(2000, 1024, 0, null, 100, "amd64", labels), 20, timeoutSeconds,
                Verification.replicated(2, 2), 0, Instant.now().getEpochSecond() + 86_400);
    }

    /** The result fingerprint a round-0 replica reveals: SHA-256("gridledger/result/v1" 0 jobId 0 ‖ digest). */
    public static String fingerprint(String jobId, String digestHex) {
        var sha = sha256();
        text(sha, "gridledger/result/v1");
        text(sha, jobId);
        sha.update(HexFormat.of().parseHex(digestHex));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** SHA-256("gridledger/commit/v1" 0 jobId 0 replica 0 nodeId 0 ‖ fingerprint ‖ salt), as chaincode/README.md defines it. */
    public static String commitment(String jobId, int replica, String nodeId, String digestHex, String saltHex) {
        var sha = sha256();
        text(sha, "gridledger/commit/v1");
        text(sha, jobId);
        text(sha, Integer.toString(replica));
        text(sha, nodeId);
        sha.update(HexFormat.of().parseHex(fingerprint(jobId, digestHex)));
        sha.update(HexFormat.of().parseHex(saltHex));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** 16 bytes of salt, hex, derived from {@code name}. */
    public static String salt(String name) {
        return HexFormat.of().formatHex(sha256(name.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    private static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static void text(MessageDigest sha, String value) {
        sha.update(value.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
