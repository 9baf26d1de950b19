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
        return offer(offerId, price, slots, Map.of("zone", "eu"));
    }

    /** An amd64 CPU offer whose slots carry {@code labels}: jobs that require a label match only such slots. */
    public static String offer(String offerId, long price, int slots, Map<String, String> labels) {
        return json(Map.of("offerId", offerId, "slots", slots, "unitPrice", price, "stake", MIN_STAKE,
                "slot", Map.of("cpuMillis", 4000, "memoryMiB", 8192, "gpuCount", 0, "storageMiB", 10240,
                        "arch", "amd64", "labels", labels)));
    }

    /** The account of one of an org's users: {@code Org2MSP/node1@org2.gridledger.example}. */
    public static String account(String mspId, String user) {
        return mspId + "/" + user + "@" + mspId.replace("MSP", "").toLowerCase() + ".gridledger.example";
    }

    public static String job(String jobId, int replicas, int quorum, long maxUnitPrice) {
        return job(jobId, replicas, quorum, maxUnitPrice, Instant.now().getEpochSecond() + 86_400);
    }

    /** A job that must be complete by {@code deadline} (epoch seconds); it runs for at most 600 s. */
    public static String job(String jobId, int replicas, int quorum, long maxUnitPrice, long deadline) {
        return job(jobId, replicas, quorum, maxUnitPrice, deadline, Map.of());
    }

    /** A job that runs only on slots carrying all of {@code labels}. */
    public static String job(String jobId, int replicas, int quorum, long maxUnitPrice, long deadline,
                             Map<String, String> labels) {
        var job = new LinkedHashMap<String, Object>();
        job.put("jobId", jobId);
        job.put("image", "registry.local/sim@sha256:" + "a".repeat(64));
        job.put("command", List.of("sh", "-c", "run"));
        job.put("env", Map.of("MODE", "fast"));
        job.put("inputs", List.of(Map.of("name", "data.bin", "sha256", "b".repeat(64), "sizeBytes", 1024)));
        job.put("resources", Map.of("cpuMillis", 2000, "memoryMiB", 1024, "gpuCount", 0, "storageMiB", 100, "arch", "amd64",
                "labels", labels));
        job.put("maxUnitPrice", maxUnitPrice);
        job.put("timeoutSeconds", 600);
        job.put("verification", Map.of("mode", "REPLICATED", "replicas", replicas, "quorum", quorum));
        job.put("minReputation", 0);
        job.put("deadline", deadline);
        return json(job);
    }

    /** {@code json} (an object) with {@code field} set to {@code value}. */
    public static String with(String json, String field, Object value) {
        try {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
            node.set(field, JSON.valueToTree(value));
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
