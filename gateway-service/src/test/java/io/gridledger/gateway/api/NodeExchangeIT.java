package io.gridledger.gateway.api;

import io.gridledger.exchange.NodeExchange;
import io.gridledger.exchange.OutputManifest;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.gateway.testkit.NodeClient;
import io.gridledger.gateway.testkit.TestObjects;
import io.gridledger.storage.Sha256;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.gridledger.gateway.api.ApiTestKit.ADMIN_TOKEN;
import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.postAs;
import static io.gridledger.gateway.api.ExchangeJobs.ledger;
import static io.gridledger.gateway.testkit.Fixtures.commitment;
import static io.gridledger.gateway.testkit.Fixtures.salt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Org1's gateway serves a provider node of Org2 through the signed node exchange, over devnet and the embedded S3
 * server: the node reads the job's inputs from Org1's store, declares, uploads and completes its outputs, reports
 * progress; after the ledger agrees on the result, Org1's partner downloads those outputs through presigned URLs.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeExchangeIT implements TestPropertyProvider {

    static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    EmbeddedServer server;

    final JsonMapper json = JsonMapper.createDefault();
    String alice;
    String bob;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        return ApiTestKit.properties(Map.of());
    }

    @BeforeAll
    void partners() {
        alice = ApiTestKit.partnerToken(client, "exchange-alice", "User1");
        bob = ApiTestKit.partnerToken(client, "exchange-bob", "User1");
        assertThat(call(client, postAs("/api/v1/admin/deposits", ExchangeJobs.deposit(1_000_000), ADMIN_TOKEN)).status()).isEqualTo(200);
    }

    NodeClient node(String mspId) {
        return NodeClient.of(mspId, "node1", server.getURI(), "Org1MSP");
    }

    JsonNode tree(String body) throws Exception {
        return json.readValue(body, JsonNode.class);
    }

    static HttpResponse<byte[]> fetch(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static int put(String url, byte[] bytes) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<String> partnerGet(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.getURI().resolve(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_node_of_another_org_gets_the_inputs_hands_back_verified_outputs_and_the_partner_downloads_the_agreed_result() throws Exception {
        var matched = ExchangeJobs.submitAndMatch(client, alice, "exchange-flow", 600, "Org2MSP", "Org3MSP");
        var jobId = matched.jobId();
        var mine = matched.of("Org2MSP");
        var org2 = node("Org2MSP");

        var inputs = org2.get(NodeExchange.inputsTarget(jobId, mine.replica(), mine.attempt()));
        assertThat(inputs.statusCode()).as(inputs.body()).isEqualTo(200);
        var input = tree(inputs.body()).get("inputs").get(0);
        assertThat(input.get("name").getStringValue()).isEqualTo("data.bin");
        var downloaded = fetch(input.get("url").getStringValue());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(TestObjects.TEST_INPUT);
        assertThat(org2.post(NodeExchange.progressTarget(jobId, mine.replica()), json.writeValueAsString(Map.of(
                "attempt", mine.attempt(), "step", "running", "at", System.currentTimeMillis()))).statusCode()).isEqualTo(202);

        var result = ("result of " + jobId + "\n").getBytes(StandardCharsets.UTF_8);
        var stdout = ("log of " + jobId + "\n").getBytes(StandardCharsets.UTF_8);
        var files = List.of(new OutputsRequest.OutputFile("out/result.txt", Sha256.of(result).hex(), result.length));
        var digest = OutputManifest.digest(files);
        var declaration = json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", digest,
                "files", List.of(Map.of("path", "out/result.txt", "sha256", Sha256.of(result).hex(), "sizeBytes", result.length)),
                "logs", List.of(Map.of("name", "stdout", "sha256", Sha256.of(stdout).hex(), "sizeBytes", stdout.length))));
        var declared = org2.post(NodeExchange.outputsTarget(jobId, mine.replica()), declaration);
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(200);
        var uploads = tree(declared.body()).get("uploads");
        assertThat(uploads.size()).isEqualTo(2);
        for (int i = 0; i < uploads.size(); i++) {
            var sha = uploads.get(i).get("sha256").getStringValue();
            assertThat(put(uploads.get(i).get("url").getStringValue(), sha.equals(Sha256.of(result).hex()) ? result : stdout)).isEqualTo(200);
        }
        var complete = json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", digest));
        var completed = org2.post(NodeExchange.completeTarget(jobId, mine.replica()), complete);
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        var recorded = tree(completed.body());
        var fingerprint = OutputManifest.fingerprint(jobId, digest);
        assertThat(recorded.get("fingerprint").getStringValue()).isEqualTo(fingerprint);
        assertThat(recorded.get("nodeId").getStringValue()).isEqualTo(mine.nodeId());
        assertThat(org2.post(NodeExchange.completeTarget(jobId, mine.replica()), complete).body())
                .as("completing again answers the same record").isEqualTo(completed.body());

        var early = partnerGet("/api/v1/jobs/" + jobId + "/result/manifest", alice);
        assertThat(early.statusCode()).as("no result before the ledger agrees").isEqualTo(409);
        settle(matched, digest);

        var answer = partnerGet("/api/v1/jobs/" + jobId + "/result", alice);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
        assertThat(answer.headers().firstValue("X-Result-Digest")).contains(digest);
        assertThat(answer.headers().firstValue("X-Result-Fingerprint")).contains(fingerprint);
        var inBody = partnerGet("/api/v1/jobs/" + jobId + "/result?redirect=false", alice);
        assertThat(inBody.statusCode()).as("for a browser's fetch, which follows a 303 unseen").isEqualTo(200);
        assertThat(inBody.headers().firstValue("X-Result-Digest")).contains(digest);
        assertThat(inBody.headers().firstValue("X-Result-Fingerprint")).contains(fingerprint);
        assertThat(fetch(inBody.headers().firstValue("X-Result-Location").orElseThrow()).body()).isEqualTo(OutputManifest.encode(files));
        var manifest = fetch(answer.headers().firstValue("Location").orElseThrow());
        assertThat(manifest.body()).isEqualTo(OutputManifest.encode(files));
        assertThat(Sha256.of(manifest.body()).hex()).isEqualTo(digest);
        var file = partnerGet("/api/v1/jobs/" + jobId + "/result/files/out/result.txt", alice);
        assertThat(file.statusCode()).isEqualTo(303);
        assertThat(fetch(file.headers().firstValue("Location").orElseThrow()).body()).isEqualTo(result);
        var log = partnerGet("/api/v1/jobs/" + jobId + "/result/logs/stdout", alice);
        assertThat(fetch(log.headers().firstValue("Location").orElseThrow()).body()).isEqualTo(stdout);

        var missing = partnerGet("/api/v1/jobs/" + jobId + "/result/files/out/other.txt", alice);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("FILE_NOT_FOUND");
        var traversal = partnerGet("/api/v1/jobs/" + jobId + "/result/files/out/..%2F..%2Fsecret", alice);
        assertThat(traversal.statusCode()).as(traversal.body()).isIn(400, 404);
        assertThat(traversal.headers().firstValue("Location")).isEmpty();
        var foreign = partnerGet("/api/v1/jobs/" + jobId + "/result", bob);
        assertThat(foreign.statusCode()).as("another partner's result").isEqualTo(404);
        assertThat(foreign.headers().firstValue("Location")).isEmpty();
        assertThat(partnerGet("/api/v1/jobs/" + jobId + "/result/files/out/result.txt", bob).statusCode()).isEqualTo(404);
    }

    @Test
    void a_declaration_without_files_or_logs_lists_declares_no_outputs() throws Exception {
        // A serializer that leaves empty lists out (Micronaut Serialization's default) sends neither list.
        var matched = ExchangeJobs.submitAndMatch(client, alice, "exchange-empty", 600, "Org2MSP", "Org3MSP");
        var jobId = matched.jobId();
        var mine = matched.of("Org2MSP");
        var org2 = node("Org2MSP");
        var digest = OutputManifest.digest(List.of());

        var declared = org2.post(NodeExchange.outputsTarget(jobId, mine.replica()),
                json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", digest)));
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(200);
        var uploads = tree(declared.body()).get("uploads");
        assertThat(uploads == null || uploads.size() == 0).as("nothing to upload: " + declared.body()).isTrue();
        var completed = org2.post(NodeExchange.completeTarget(jobId, mine.replica()),
                json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", digest)));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(tree(completed.body()).get("fingerprint").getStringValue()).isEqualTo(OutputManifest.fingerprint(jobId, digest));

        var otherDigest = "ab".repeat(32);
        var mismatch = org2.post(NodeExchange.outputsTarget(jobId, mine.replica()),
                json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", otherDigest)));
        assertThat(mismatch.statusCode()).as("an absent list is the empty one, not a wildcard: " + mismatch.body()).isEqualTo(422);
    }

    @Test
    void outputs_whose_objects_are_all_stored_already_complete_without_uploads() throws Exception {
        // Another replica (or an earlier job) stored every object: the declaration hands out no upload at all.
        var matched = ExchangeJobs.submitAndMatch(client, alice, "exchange-stored", 600, "Org2MSP", "Org3MSP");
        var mine = matched.of("Org2MSP");
        var stored = Sha256.of(TestObjects.TEST_INPUT).hex();
        var digest = OutputManifest.digest(List.of(new OutputsRequest.OutputFile("copy.bin", stored, TestObjects.TEST_INPUT.length)));
        var declared = node("Org2MSP").post(NodeExchange.outputsTarget(matched.jobId(), mine.replica()),
                json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", digest, "files",
                        List.of(Map.of("path", "copy.bin", "sha256", stored, "sizeBytes", TestObjects.TEST_INPUT.length)),
                        "logs", List.of(Map.of("name", "stdout", "sha256", stored, "sizeBytes", TestObjects.TEST_INPUT.length)))));
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(200);
        var uploads = tree(declared.body()).get("uploads");
        assertThat(uploads == null || uploads.size() == 0).as("nothing to upload: " + declared.body()).isTrue();
        var completed = node("Org2MSP").post(NodeExchange.completeTarget(matched.jobId(), mine.replica()),
                json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", digest)));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(tree(completed.body()).get("fingerprint").getStringValue())
                .isEqualTo(OutputManifest.fingerprint(matched.jobId(), digest));
    }

    /** Both replicas commit and reveal the same digest on the ledger with their own identities; Org1 settles. */
    static void settle(ExchangeJobs.Matched matched, String digest) {
        var jobId = matched.jobId();
        long assignedAt = ledger("Org1MSP").getJob("User1", jobId).replicas().get(0).assignment().assignedAt();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > assignedAt + 1);
        for (var a : matched.assignments()) {
            ledger(a.nodeId().substring(0, a.nodeId().indexOf('/'))).commitResult("node1", jobId, a.replica(),
                    commitment(jobId, a.replica(), a.nodeId(), digest, salt(jobId + a.replica())));
        }
        for (var a : matched.assignments()) {
            ledger(a.nodeId().substring(0, a.nodeId().indexOf('/'))).revealResult("node1", jobId, a.replica(),
                    io.gridledger.gateway.testkit.Fixtures.fingerprint(jobId, digest), salt(jobId + a.replica()), 60);
        }
        ledger("Org1MSP").settleJob("User1", jobId);
    }
}
