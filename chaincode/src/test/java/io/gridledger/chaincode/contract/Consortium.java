package io.gridledger.chaincode.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridledger.chaincode.domain.Commitments;
import io.gridledger.chaincode.testing.Identity;
import io.gridledger.chaincode.testing.TestIdentities;
import io.gridledger.chaincode.testing.TestLedger;
import io.gridledger.chaincode.testing.TxResult;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A three-org consortium on an in-memory ledger, driven through the real contract router, with helpers
 * that speak the contract's transactions. Tests read like the job's story.
 */
final class Consortium {

    static final String ORG1 = "Org1MSP";
    static final String ORG2 = "Org2MSP";
    static final String ORG3 = "Org3MSP";
    static final List<String> ORGS = List.of(ORG1, ORG2, ORG3);
    static final Instant START = Instant.parse("2026-11-21T12:00:00Z");
    /** Collateral per slot; providers' offers in these tests have one or two slots. */
    static final long MIN_STAKE = 1_000;
    static final long TOLERANCE = 30;
    static final int FEE_BPS = 250;
    static final int SLASH_BPS = 1_000;
    static final long GRACE = 60;
    static final long REVEAL_WINDOW = 60;
    static final String IMAGE = "registry.local/sim@sha256:" + "a".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final TestIdentities IDS = TestIdentities.create(ORG1, ORG2, ORG3, "OutsiderMSP");

    final TestLedger ledger;
    final Identity admin1 = IDS.admin(ORG1, "admin1");
    final Identity admin2 = IDS.admin(ORG2, "admin2");
    final Identity admin3 = IDS.admin(ORG3, "admin3");
    final Identity client = IDS.client(ORG3, "alice");

    private Consortium(TestLedger ledger) {
        this.ledger = ledger;
    }

    /** An initialised consortium: admins of Org1 and Org2 (a majority) approved the parameters; clock at {@link #START}. */
    static Consortium started() {
        var consortium = new Consortium(new TestLedger());
        consortium.ledger.setTime(START);
        consortium.ok(consortium.admin1, "InitLedger", paramsJson(ORGS, MIN_STAKE));
        consortium.ok(consortium.admin2, "InitLedger", paramsJson(ORGS, MIN_STAKE));
        return consortium;
    }

    static Consortium uninitialised() {
        var consortium = new Consortium(new TestLedger());
        consortium.ledger.setTime(START);
        return consortium;
    }

    static String paramsJson(List<String> members, long minStakePerSlot) {
        return json(paramsMap(members, minStakePerSlot));
    }

    static Map<String, Object> paramsMap(List<String> members, long minStakePerSlot) {
        return map("members", members, "feeBasisPoints", FEE_BPS, "minStakePerSlot", minStakePerSlot,
                "slashBasisPoints", SLASH_BPS, "defaultReplicas", 2, "defaultQuorum", 2,
                "commitGraceSeconds", GRACE, "revealWindowSeconds", REVEAL_WINDOW, "matchScanLimit", 200,
                "clockToleranceSeconds", TOLERANCE, "reputationUnitCredits", 1_000, "reputationCapPerOrg", 100,
                "units", Map.of("microPerMillicore", 1000, "microPerMemoryMiB", 244, "microPerGpu", 10_000_000,
                        "microPerStorageMiB", 1));
    }

    static TestIdentities ids() {
        return IDS;
    }

    Identity provider(String org, String name) {
        return IDS.provider(org, name);
    }

    Identity clientOf(String org, String name) {
        return IDS.client(org, name);
    }

    Identity outsider() {
        return IDS.client("OutsiderMSP", "mallory");
    }

    static String account(Identity identity) {
        return identity.mspId() + "/" + identity.name();
    }

    // --- transactions ------------------------------------------------------------------------------------

    TxResult submit(Identity who, String function, String... args) {
        return ledger.submit(who, function, args);
    }

    TxResult ok(Identity who, String function, String... args) {
        var result = ledger.submit(who, function, args);
        assertThat(result.ok()).as("%s failed: %s %s", function, result.errorCode(), result.message()).isTrue();
        return result;
    }

    JsonNode query(String function, String... args) {
        var result = ledger.evaluate(admin1, function, args);
        assertThat(result.ok()).as("%s failed: %s %s", function, result.errorCode(), result.message()).isTrue();
        return parse(result.payload());
    }

    void fund(Identity who, long amount) {
        var admin = switch (who.mspId()) {
            case ORG1 -> admin1;
            case ORG2 -> admin2;
            default -> admin3;
        };
        ok(admin, "Deposit", account(who), Long.toString(amount));
    }

    /** A provider funded with 10 × MIN_STAKE, with one CPU offer (4 cores, 8 GiB, 10 GiB scratch) staking the minimum. */
    Identity providerWithOffer(String org, String name, String offerId, long price, int slots) {
        var provider = provider(org, name);
        fund(provider, 10 * MIN_STAKE);
        ok(provider, "PublishOffer", offerJson(offerId, price, slots, MIN_STAKE * slots));
        return provider;
    }

    static String offerJson(String offerId, long price, int slots, long stake) {
        return json(Map.of("offerId", offerId, "slots", slots, "unitPrice", price, "stake", stake,
                "slot", Map.of("cpuMillis", 4000, "memoryMiB", 8192, "gpuCount", 0, "storageMiB", 10240,
                        "arch", "amd64", "labels", Map.of("zone", "eu"))));
    }

    static String jobJson(String jobId, int replicas, int quorum, long maxUnitPrice, long timeout, long deadline) {
        var verification = replicas == 1 ? Map.of("mode", "SINGLE", "replicas", 1, "quorum", 1)
                : Map.of("mode", "REPLICATED", "replicas", replicas, "quorum", quorum);
        return jobJson(jobId, verification, maxUnitPrice, timeout, deadline);
    }

    static String jobJson(String jobId, Map<String, ?> verification, long maxUnitPrice, long timeout, long deadline) {
        return json(map("jobId", jobId, "image", IMAGE, "command", List.of("sh", "-c", "run"),
                "env", Map.of("MODE", "fast"),
                "inputs", List.of(Map.of("name", "data.bin", "sha256", "b".repeat(64), "sizeBytes", 1024)),
                "resources", Map.of("cpuMillis", 2000, "memoryMiB", 1024, "gpuCount", 0, "storageMiB", 100,
                        "arch", "amd64"),
                "maxUnitPrice", maxUnitPrice, "timeoutSeconds", timeout, "verification", verification,
                "minReputation", 0, "deadline", deadline));
    }

    /** Submits a job with a generous deadline. */
    TxResult submitJob(String jobId, int replicas, int quorum, long maxUnitPrice) {
        return ok(client, "SubmitJob", jobJson(jobId, replicas, quorum, maxUnitPrice, 600, START.getEpochSecond() + 86_400));
    }

    TxResult match(String... jobIds) {
        return ok(admin1, "MatchJobs", json(List.of(jobIds)), "[]");
    }

    /** Returns to the market the slots of jobs that ended, as a gateway does after their end events. */
    TxResult release(String... jobIds) {
        return ok(admin1, "ReleaseSlots", json(List.of(jobIds)));
    }

    TxResult settle(String jobId) {
        return ok(admin1, "SettleJob", jobId);
    }

    static final String SALT = "5a".repeat(16);

    /** Each node salts its commitment with its own random bytes; here derived from its name, 16 bytes. */
    static String saltFor(Identity node) {
        try {
            var hash = java.security.MessageDigest.getInstance("SHA-256").digest(node.name().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String digest(char c) {
        return String.valueOf(c).repeat(64);
    }

    /** The commitment {@code provider} makes for {@code digest} as replica {@code replica} of the job. */
    static String commitmentOf(Identity provider, String jobId, int replica, String digest) {
        return Commitments.commitment(jobId, replica, account(provider), Commitments.fingerprint(jobId, digest),
                saltFor(provider));
    }

    TxResult commit(Identity provider, String jobId, int replica, String digest) {
        return ok(provider, "CommitResult", jobId, Integer.toString(replica), commitmentOf(provider, jobId, replica, digest));
    }

    /** Reveals the fingerprint of {@code digest}, as a replica of the first round does. */
    TxResult reveal(Identity provider, String jobId, int replica, String digest, long runtime) {
        return ok(provider, "RevealResult", jobId, Integer.toString(replica), Commitments.fingerprint(jobId, digest),
                saltFor(provider), Long.toString(runtime));
    }

    /** Reveals {@code digest} itself, as a tie-breaker does. */
    TxResult revealDigest(Identity provider, String jobId, int replica, String digest, long runtime) {
        return ok(provider, "RevealResult", jobId, Integer.toString(replica), digest, saltFor(provider), Long.toString(runtime));
    }

    /** The replica index each node holds in a job, as the job's view says. */
    Map<String, Integer> replicaIndexes(String jobId) {
        var indexes = new java.util.HashMap<String, Integer>();
        job(jobId).get("replicas").forEach(r -> indexes.put(r.at("/assignment/nodeId").asText(), r.at("/assignment/index").asInt()));
        return indexes;
    }

    /** Each node commits, then each reveals, its result ({@code digest(c)}) for its replica of the job. */
    void commitAndReveal(String jobId, Map<Identity, Character> results, long runtime) {
        var indexes = replicaIndexes(jobId);
        results.forEach((node, result) -> commit(node, jobId, indexes.get(account(node)), digest(result)));
        results.forEach((node, result) -> reveal(node, jobId, indexes.get(account(node)), digest(result), runtime));
    }

    /** Two providers with two slots each: node1 of Org1 (offer-1 at price 10) and node2 of Org2 (offer-2 at 12). */
    List<Identity> twoProviders() {
        return List.of(providerWithOffer(ORG1, "node1", "offer-1", 10, 2), providerWithOffer(ORG2, "node2", "offer-2", 12, 2));
    }

    /** The assignments a matching (or expiry) transaction announced, by replica index. */
    static Map<Integer, String> assignedNodes(TxResult result) {
        var nodes = new java.util.TreeMap<Integer, String>();
        event(result).path("assignments").forEach(a -> nodes.put(a.get("replica").asInt(), a.get("nodeId").asText()));
        return nodes;
    }

    JsonNode job(String jobId) {
        return query("GetJob", jobId);
    }

    long balance(String accountId) {
        return query("GetAccount", accountId).get("balance").asLong();
    }

    long balance(Identity identity) {
        return balance(account(identity));
    }

    void advance(Duration duration) {
        ledger.advance(duration);
    }

    /** Every credit on the ledger: balance shards, credit entries, escrows and stakes. Conserved by all but Deposit/Withdraw. */
    long totalCredits() {
        long total = 0;
        for (var entry : ledger.stateSnapshot().entrySet()) {
            var key = entry.getKey();
            var value = new String(entry.getValue(), StandardCharsets.UTF_8);
            if (key.startsWith("\u0000balance\u0000") || key.startsWith("\u0000credit\u0000")
                    || key.startsWith("\u0000escrow\u0000")) {
                total += Long.parseLong(value);
            } else if (key.startsWith("\u0000offer\u0000")) {
                total += parse(value).get("stake").asLong();
            }
        }
        return total;
    }

    /** Net credits deposited minus withdrawn, as the supply counters record them. */
    long issuedCredits() {
        long total = 0;
        for (var entry : ledger.stateSnapshot().entrySet()) {
            if (entry.getKey().startsWith("\u0000supply\u0000")) {
                total += Long.parseLong(new String(entry.getValue(), StandardCharsets.UTF_8));
            }
        }
        return total;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static JsonNode event(TxResult result) {
        return parse(result.event().orElseThrow().payloadString());
    }

    static Map<String, Object> map(Object... keysAndValues) {
        var map = new java.util.TreeMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
