package io.gridledger.chaincode.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The result formats of commit–reveal.
 *
 * <ul>
 *   <li>The <b>digest</b> is what a provider computes over a job's outputs (canonical, the same on every honest
 *       node).</li>
 *   <li>The <b>fingerprint</b> binds a digest to its job: {@code SHA-256("gridledger/result/v1" 0x00 jobId 0x00
 *       ‖ digest)}. Replicas of a job reveal fingerprints, never digests, so a tie-breaking replica that runs
 *       after they are public cannot reveal a matching digest without computing it.</li>
 *   <li>The <b>commitment</b> binds a fingerprint to its author: {@code SHA-256("gridledger/commit/v1" 0x00 jobId
 *       0x00 replica 0x00 nodeId 0x00 ‖ fingerprint ‖ salt)}, the replica index in decimal, strings in UTF-8,
 *       fingerprint and salt as raw bytes. A commitment copied from another replica opens only with that
 *       replica's index and node, so it is worthless to the copier, and since no commitment needs to be unique,
 *       copying one cannot block the honest node either.</li>
 * </ul>
 */
public final class Commitments {

    private static final HexFormat HEX = HexFormat.of();
    private static final String RESULT_DOMAIN = "gridledger/result/v1";
    private static final String COMMIT_DOMAIN = "gridledger/commit/v1";

    private Commitments() {
    }

    public static String fingerprint(String jobId, String digestHex) {
        var sha = sha256();
        text(sha, RESULT_DOMAIN);
        text(sha, jobId);
        sha.update(HEX.parseHex(digestHex));
        return HEX.formatHex(sha.digest());
    }

    public static String commitment(String jobId, int replica, String nodeId, String fingerprintHex, String saltHex) {
        var sha = sha256();
        text(sha, COMMIT_DOMAIN);
        text(sha, jobId);
        text(sha, Integer.toString(replica));
        text(sha, nodeId);
        sha.update(HEX.parseHex(fingerprintHex));
        sha.update(HEX.parseHex(saltHex));
        return HEX.formatHex(sha.digest());
    }

    private static void text(MessageDigest sha, String value) {
        sha.update(value.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
