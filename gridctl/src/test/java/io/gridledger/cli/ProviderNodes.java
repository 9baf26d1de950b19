package io.gridledger.cli;

import io.gridledger.exchange.NodeExchange;
import io.gridledger.exchange.NodeRequestSigner;
import io.gridledger.exchange.OutputManifest;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.OfferSpec;
import io.gridledger.ledger.Resources;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The provider side of the local consortium, played by the test as the gateway's own tests do (no provider agent):
 * offers of node1 of Org2 and Org3, Org1 matching a job onto them on the ledger, and the completion of that job — Org2's
 * node hands its outputs to Org1's gateway through the signed node exchange, both replicas commit and reveal the same
 * result on the ledger with their own identities, and Org1 settles.
 */
final class ProviderNodes {

    static final List<String> NODE_ORGS = List.of("Org2MSP", "Org3MSP");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ProviderNodes() {
    }

    static Ledger ledger(String mspId) {
        return TestLedgers.of(mspId);
    }

    /** One-slot offers of node1 of Org2 and Org3 carrying {@code labels}, so only this test's jobs match them. */
    static void offer(String test, Map<String, String> labels) {
        for (var mspId : NODE_ORGS) {
            var ledger = ledger(mspId);
            ledger.deposit("Admin", LocalConsortium.account(mspId, "node1"), 5_000);
            ledger.publishOffer("node1", new OfferSpec("offer-" + test + "-" + mspId, new Resources(4000, 8192, 0, null, 10240,
                    "amd64", labels), 1, 10, LocalConsortium.MIN_STAKE));
        }
    }

    /** Org1 matches the job onto the offers: its two replicas' assignments. */
    static List<Assignment> match(String jobId) {
        var assignments = ledger(LocalGateway.ORG).matchJobs("User1", List.of(jobId), List.of()).value().assignments().stream()
                .sorted(Comparator.comparingInt(Assignment::replica)).toList();
        assertThat(assignments).as("assignments of " + jobId).hasSize(2);
        return assignments;
    }

    /**
     * Org2's replica stores {@code files} (path → bytes) through the node exchange of the gateway at {@code gateway};
     * both replicas commit and reveal that result; Org1 settles. Returns the result digest.
     */
    static String complete(URI gateway, String jobId, List<Assignment> assignments, Map<String, byte[]> files) throws Exception {
        var org2 = assignments.stream().filter(a -> a.nodeId().startsWith("Org2MSP/")).findFirst().orElseThrow();
        var declared = files.entrySet().stream().map(f -> new OutputsRequest.OutputFile(f.getKey(), sha256(f.getValue()),
                f.getValue().length)).toList();
        var digest = OutputManifest.digest(declared);
        var json = GatewayClient.JSON;
        var declaration = json.writeValueAsString(Map.of("attempt", org2.attempt(), "resultDigest", digest,
                "files", declared.stream().map(f -> Map.of("path", f.path(), "sha256", f.sha256(), "sizeBytes", f.sizeBytes())).toList(),
                "logs", List.of()));
        var outputs = signed(gateway, NodeExchange.outputsTarget(jobId, org2.replica()), declaration);
        assertThat(outputs.statusCode()).as(outputs.body()).isEqualTo(200);
        for (var upload : json.readTree(outputs.body()).path("uploads")) {
            var bytes = files.values().stream().filter(b -> sha256(b).equals(upload.get("sha256").asText())).findFirst().orElseThrow();
            var put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.get("url").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(put.statusCode()).isEqualTo(200);
        }
        var completed = signed(gateway, NodeExchange.completeTarget(jobId, org2.replica()),
                json.writeValueAsString(Map.of("attempt", org2.attempt(), "resultDigest", digest)));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);

        long assignedAt = ledger(LocalGateway.ORG).getJob("User1", jobId).replicas().get(0).assignment().assignedAt();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > assignedAt + 1);
        var fingerprint = OutputManifest.fingerprint(jobId, digest);
        for (var a : assignments) {
            ledger(a.nodeOrg()).commitResult("node1", jobId, a.replica(), commitment(jobId, a, fingerprint, salt(jobId, a)));
        }
        for (var a : assignments) {
            ledger(a.nodeOrg()).revealResult("node1", jobId, a.replica(), fingerprint, salt(jobId, a), 60);
        }
        ledger(LocalGateway.ORG).settleJob("User1", jobId);
        return digest;
    }

    /** SHA-256("gridledger/commit/v1" 0 jobId 0 replica 0 nodeId 0 ‖ fingerprint ‖ salt), as chaincode/README.md defines it. */
    private static String commitment(String jobId, Assignment assignment, String fingerprint, String salt) throws Exception {
        var sha = MessageDigest.getInstance("SHA-256");
        for (var part : List.of("gridledger/commit/v1", jobId, Integer.toString(assignment.replica()), assignment.nodeId())) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        sha.update(HexFormat.of().parseHex(fingerprint));
        sha.update(HexFormat.of().parseHex(salt));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String salt(String jobId, Assignment assignment) {
        return sha256((jobId + "#" + assignment.replica()).getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    /** A request of Org2's node1 to Org1's gateway, signed with its Fabric identity. */
    private static HttpResponse<String> signed(URI gateway, String target, String body) throws Exception {
        var files = LocalConsortium.shared().org("Org2MSP").user("node1");
        var pem = Files.readString(files.privateKey()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        var signer = NodeRequestSigner.create("Org2MSP", Files.readString(files.certificate()), key);
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(gateway.resolve(target)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signer.sign("POST", target, LocalGateway.ORG, bytes).headers().forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
