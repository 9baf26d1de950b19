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
    /** Collateral per slot of capacity. */
    public static final long MIN_STAKE = 1_000;
    public static final long CLOCK_TOLERANCE = 5;
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

    /** Consortium parameters for tests: clients and peers share this machine's clock, so a 5 s tolerance is plenty. */
    public static String params() {
        var params = new LinkedHashMap<String, Object>();
        params.put("members", ORGS);
        params.put("feeBasisPoints", 250);
        params.put("minStakePerSlot", MIN_STAKE);
        params.put("slashBasisPoints", 1_000);
        params.put("defaultReplicas", 2);
        params.put("defaultQuorum", 2);
        params.put("commitGraceSeconds", 600);
        params.put("revealWindowSeconds", 600);
        params.put("matchScanLimit", 200);
        params.put("clockToleranceSeconds", CLOCK_TOLERANCE);
        params.put("reputationUnitCredits", 1_000);
        params.put("reputationCapPerOrg", 100);
        params.put("units", Map.of("microPerMillicore", 1000, "microPerMemoryMiB", 244, "microPerGpu", 10_000_000,
                "microPerStorageMiB", 1));
        return json(params);
    }

    /** {@link #bootstrap(org.hyperledger.fabric.client.Contract, org.hyperledger.fabric.client.Contract)} as the admins of Org1 and Org2. */
    public static void bootstrap(FabricNetwork network, String chaincode) throws Exception {
        bootstrap(network, FabricNetwork.CHANNEL, chaincode);
    }

    /** {@link #bootstrap(FabricNetwork, String)} on channel {@code channel}. */
    public static void bootstrap(FabricNetwork network, String channel, String chaincode) throws Exception {
        bootstrap(network.connect(ORGS.get(0), "Admin").getNetwork(channel).getContract(chaincode),
                network.connect(ORGS.get(1), "Admin").getNetwork(channel).getContract(chaincode));
    }

    /**
     * Starts the consortium as the contract requires: admins of Org1 and Org2 (a majority of the three orgs) each
     * approve {@link #params()}; the second approval applies them and is endorsed by the two approving orgs' peers,
     * since the peer of an org that did not approve refuses to. Does nothing if the ledger already has parameters.
     */
    public static void bootstrap(org.hyperledger.fabric.client.Contract org1Admin, org.hyperledger.fabric.client.Contract org2Admin)
            throws Exception {
        bootstrap(org1Admin, org2Admin, params());
    }

    /** {@link #bootstrap(org.hyperledger.fabric.client.Contract, org.hyperledger.fabric.client.Contract)} with other parameters. */
    public static void bootstrap(org.hyperledger.fabric.client.Contract org1Admin, org.hyperledger.fabric.client.Contract org2Admin,
                                 String paramsJson) throws Exception {
        try {
            org1Admin.evaluateTransaction("GetParameters");
            return;
        } catch (org.hyperledger.fabric.client.GatewayException e) {
            if (!String.valueOf(e.getMessage()).contains("NOT_INITIALIZED")) {
                throw e;
            }
        }
        for (var admin : List.of(org1Admin, org2Admin)) {
            admin.newProposal("InitLedger").addArguments(paramsJson).setEndorsingOrganizations(ORGS.get(0), ORGS.get(1))
                    .build().endorse().submit();
        }
    }

    public static String offer(String offerId, long price, int slots) {
        return offer(offerId, price, slots, Map.of("zone", "eu"));
    }

    /** An amd64 CPU offer staking the minimum, whose slots carry {@code labels}: jobs requiring a label match only them. */
    public static String offer(String offerId, long price, int slots, Map<String, String> labels) {
        return json(Map.of("offerId", offerId, "slots", slots, "unitPrice", price, "stake", MIN_STAKE * slots,
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

    /**
     * The result fingerprint a replica reveals: SHA-256("gridledger/result/v1" 0 jobId 0 ‖ digest), written out here
     * from the contract's documented format (chaincode/README.md), not taken from the chaincode's code.
     */
    public static String fingerprint(String jobId, String digestHex) {
        var sha = sha256();
        text(sha, "gridledger/result/v1");
        text(sha, jobId);
        sha.update(HexFormat.of().parseHex(digestHex));
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * The commitment replica {@code replica} of {@code jobId} sends from node {@code nodeId}:
     * SHA-256("gridledger/commit/v1" 0 jobId 0 replica 0 nodeId 0 ‖ fingerprint ‖ salt).
     */
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

    public static String salt(String name) {
        try {
            var hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
