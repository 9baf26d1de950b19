package io.gridledger.agent.result;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The contract's result formats (chaincode/README.md, "Result formats"), computed on the provider's side:
 *
 * <pre>
 * fingerprint = SHA-256( "gridledger/result/v1" 0x00 jobId 0x00 digest )
 * commitment  = SHA-256( "gridledger/commit/v1" 0x00 jobId 0x00 replica(decimal) 0x00 nodeId 0x00 fingerprint salt )
 * </pre>
 *
 * Strings are UTF-8; digest, fingerprint and salt raw bytes. A round-0 replica commits to the fingerprint and reveals
 * {@code fingerprint, salt}; a tie-breaker reveals {@code digest, salt} (the contract derives the fingerprint).
 *
 * <pre>{@code
 * Sha256 fingerprint = ResultFormats.fingerprint(jobId, manifest.digest());
 * Salt salt = Salt.random(secureRandom);
 * Sha256 commitment = ResultFormats.commitment(jobId, replica, nodeId, fingerprint, salt);
 * }</pre>
 */
public final class ResultFormats {

    static final String RESULT_DOMAIN = "gridledger/result/v1";
    static final String COMMIT_DOMAIN = "gridledger/commit/v1";

    private ResultFormats() {
    }

    /** Binds a digest to its job, so a digest revealed for one job means nothing for another. */
    public static Sha256 fingerprint(String jobId, Sha256 digest) {
        Objects.requireNonNull(digest, "digest");
        MessageDigest sha = Sha256.newDigest();
        text(sha, RESULT_DOMAIN);
        text(sha, Objects.requireNonNull(jobId, "jobId"));
        sha.update(digest.bytes());
        return Sha256.finish(sha);
    }

    /** Binds a fingerprint to its author (replica index and node), hidden by the salt until the reveal. */
    public static Sha256 commitment(String jobId, int replica, String nodeId, Sha256 fingerprint, Salt salt) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(salt, "salt");
        if (replica < 0) {
            throw new IllegalArgumentException("replica index must be >= 0, got " + replica);
        }
        MessageDigest sha = Sha256.newDigest();
        text(sha, COMMIT_DOMAIN);
        text(sha, Objects.requireNonNull(jobId, "jobId"));
        text(sha, Integer.toString(replica));
        text(sha, Objects.requireNonNull(nodeId, "nodeId"));
        sha.update(fingerprint.bytes());
        sha.update(salt.bytes());
        return Sha256.finish(sha);
    }

    private static void text(MessageDigest sha, String value) {
        sha.update(value.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }
}
