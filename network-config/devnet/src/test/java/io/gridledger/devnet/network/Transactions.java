package io.gridledger.devnet.network;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Valid arguments for GridLedger chaincode transactions, for tests that drive it through a network. */
public final class Transactions {

    public static final List<String> ORGS = List.of("Org1MSP", "Org2MSP", "Org3MSP");
    public static final long MIN_STAKE = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Transactions() {
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String params() {
        return json(Map.of("members", ORGS, "feeBasisPoints", 250, "minStake", MIN_STAKE,
                "slashBasisPoints", 1_000, "defaultReplicas", 2, "defaultQuorum", 2,
                "commitGraceSeconds", 600, "revealWindowSeconds", 600, "matchScanLimit", 200,
                "units", Map.of("microPerMillicore", 1000, "microPerMemoryMiB", 244, "microPerGpu", 10_000_000,
                        "microPerStorageMiB", 1)));
    }

    public static String offer(String offerId, long price, int slots) {
        return json(Map.of("offerId", offerId, "slots", slots, "unitPrice", price, "stake", MIN_STAKE,
                "slot", Map.of("cpuMillis", 4000, "memoryMiB", 8192, "gpuCount", 0, "storageMiB", 10240,
                        "arch", "amd64", "labels", Map.of("zone", "eu"))));
    }

    public static String job(String jobId, int replicas, int quorum, long maxUnitPrice) {
        var job = new LinkedHashMap<String, Object>();
        job.put("jobId", jobId);
        job.put("image", "registry.local/sim@sha256:" + "a".repeat(64));
        job.put("command", List.of("sh", "-c", "run"));
        job.put("env", Map.of("MODE", "fast"));
        job.put("inputs", List.of(Map.of("name", "data.bin", "sha256", "b".repeat(64), "sizeBytes", 1024)));
        job.put("resources", Map.of("cpuMillis", 2000, "memoryMiB", 1024, "gpuCount", 0, "storageMiB", 100, "arch", "amd64"));
        job.put("maxUnitPrice", maxUnitPrice);
        job.put("timeoutSeconds", 600);
        job.put("verification", Map.of("mode", "REPLICATED", "replicas", replicas, "quorum", quorum));
        job.put("minReputation", 0);
        job.put("deadline", Instant.now().getEpochSecond() + 86_400);
        return json(job);
    }

    /** The commitment a provider sends: SHA-256(digest bytes ‖ salt bytes), hex. */
    public static String commitment(String digestHex, String saltHex) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update(HexFormat.of().parseHex(digestHex));
            sha.update(HexFormat.of().parseHex(saltHex));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String salt(String name) {
        try {
            var hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
