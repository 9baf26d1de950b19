package io.gridledger.gateway.api;

import io.gridledger.exchange.NodeExchange;
import io.gridledger.exchange.NodeRequestSigner;
import io.gridledger.exchange.OutputManifest;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.gateway.testkit.NodeClient;
import io.gridledger.gateway.testkit.TestObjects;
import io.gridledger.storage.ObjectKey;
import io.gridledger.storage.Sha256;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.gridledger.gateway.api.ApiTestKit.ADMIN_TOKEN;
import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.postAs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Members compete: every way a node (or anyone) might get another org's inputs or plant outputs through Org1's node
 * exchange fails with a precise 4xx and changes nothing — no URL handed out, no object stored, no result recorded.
 * (NODE-EXCHANGE.md, "What this protects against".)
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeExchangeAttacksIT implements TestPropertyProvider {

    static final long MAX_OUTPUT_BYTES = 1024 * 1024;

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    EmbeddedServer server;

    final JsonMapper json = JsonMapper.createDefault();
    ExchangeJobs.Matched jobA;
    ExchangeJobs.Matched jobB;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        return ApiTestKit.properties(Map.of("gridledger.exchange.max-output-bytes", String.valueOf(MAX_OUTPUT_BYTES)));
    }

    @BeforeAll
    void jobs() {
        var partner = ApiTestKit.partnerToken(client, "attacks-partner", "User1");
        assertThat(call(client, postAs("/api/v1/admin/deposits", ExchangeJobs.deposit(1_000_000), ADMIN_TOKEN)).status()).isEqualTo(200);
        jobA = ExchangeJobs.submitAndMatch(client, partner, "attacks-a", 600, "Org2MSP", "Org3MSP");
        jobB = ExchangeJobs.submitAndMatch(client, partner, "attacks-b", 600, "Org3MSP", "Org1MSP");
    }

    NodeClient node(String mspId, String user) {
        return NodeClient.of(mspId, user, server.getURI(), "Org1MSP");
    }

    String inputsOf(ExchangeJobs.Matched job, String mspId) {
        var a = job.of(mspId);
        return NodeExchange.inputsTarget(job.jobId(), a.replica(), a.attempt());
    }

    String code(HttpResponse<String> response) throws Exception {
        return json.readValue(response.body(), JsonNode.class).get("code").getStringValue();
    }

    void refused(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(code(response)).isEqualTo(code);
        assertThat(response.body()).doesNotContain("X-Amz-").doesNotContain("url");
    }

    @Test
    void an_unsigned_request_is_refused_naming_the_missing_header() throws Exception {
        var unsigned = node("Org2MSP", "node1").send("GET", inputsOf(jobA, "Org2MSP"), new byte[0], Map.of());

        refused(unsigned, 401, "NODE_HEADER_MISSING");
    }

    @Test
    void a_forged_signature_or_a_request_changed_after_signing_is_refused() throws Exception {
        var org2 = node("Org2MSP", "node1");
        var target = inputsOf(jobA, "Org2MSP");
        var forged = org2.send("GET", target, new byte[0], headers -> {
            var signature = Base64.getDecoder().decode(headers.get(NodeExchange.HEADER_SIGNATURE));
            signature[signature.length - 1] ^= 1;
            headers.put(NodeExchange.HEADER_SIGNATURE, Base64.getEncoder().encodeToString(signature));
            return headers;
        });
        refused(forged, 401, "NODE_SIGNATURE_INVALID");

        var otherReplica = org2.send("GET", target, new byte[0], org2.sign("GET", target.replace("attempt=", "attempt=9"), new byte[0]).headers());
        refused(otherReplica, 401, "NODE_SIGNATURE_INVALID");
    }

    @Test
    void a_certificate_from_a_ca_that_is_not_in_the_channel_configuration_is_refused() throws Exception {
        var ca = keys();
        var node = keys();
        var issuer = new X500Name("CN=ca.org2.gridledger.example,O=org2.gridledger.example");
        var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(30))),
                new X500Name("CN=node1@org2.gridledger.example,OU=client,OU=provider"), node.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        var certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
        var pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        var impostor = new NodeClient(NodeRequestSigner.create("Org2MSP", pem, node.getPrivate()), server.getURI(), "Org1MSP");

        refused(impostor.get(inputsOf(jobA, "Org2MSP")), 401, "NODE_CERTIFICATE_UNTRUSTED");
        var unknownMsp = new NodeClient(NodeRequestSigner.create("Org9MSP", pem, node.getPrivate()), server.getURI(), "Org1MSP");
        refused(unknownMsp.get(inputsOf(jobA, "Org2MSP")), 401, "NODE_MSP_UNKNOWN");
    }

    @Test
    void a_client_identity_of_a_member_is_not_a_provider_node() throws Exception {
        refused(node("Org2MSP", "User1").get(inputsOf(jobA, "Org2MSP")), 401, "NODE_NOT_A_PROVIDER");
    }

    @Test
    void a_valid_node_of_an_org_that_is_not_assigned_is_forbidden() throws Exception {
        var a = jobA.of("Org2MSP");
        refused(node("Org1MSP", "node1").get(NodeExchange.inputsTarget(jobA.jobId(), a.replica(), a.attempt())), 403, "NOT_ASSIGNED");
    }

    @Test
    void an_assigned_node_asking_for_another_replica_or_another_job_is_forbidden() throws Exception {
        var org2 = node("Org2MSP", "node1");
        var theirs = jobA.of("Org3MSP");
        refused(org2.get(NodeExchange.inputsTarget(jobA.jobId(), theirs.replica(), theirs.attempt())), 403, "NOT_ASSIGNED");
        var other = jobB.assignments().get(0);
        refused(org2.get(NodeExchange.inputsTarget(jobB.jobId(), other.replica(), other.attempt())), 403, "NOT_ASSIGNED");
        refused(org2.get(NodeExchange.inputsTarget(jobA.jobId(), 7, 1)), 404, "REPLICA_NOT_FOUND");
        refused(org2.get(NodeExchange.inputsTarget("job-that-does-not-exist", 0, 1)), 404, "JOB_NOT_FOUND");
        var mine = jobA.of("Org2MSP");
        refused(org2.get(NodeExchange.inputsTarget(jobA.jobId(), mine.replica(), mine.attempt() + 1)), 409, "ATTEMPT_SUPERSEDED");
        var declaration = outputs(mine.attempt(), "x".getBytes(StandardCharsets.UTF_8));
        refused(org2.post(NodeExchange.outputsTarget(jobA.jobId(), theirs.replica()), declaration.json()), 403, "NOT_ASSIGNED");
        assertThat(TestObjects.store().exists(ObjectKey.of(Sha256.parse(declaration.digest())))).as("no manifest stored").isFalse();
    }

    @Test
    void a_replayed_request_is_refused_and_a_request_signed_for_another_gateway_too() throws Exception {
        var org2 = node("Org2MSP", "node1");
        var target = inputsOf(jobA, "Org2MSP");
        var signed = org2.sign("GET", target, new byte[0]).headers();
        assertThat(org2.send("GET", target, new byte[0], signed).statusCode()).isEqualTo(200);

        refused(org2.send("GET", target, new byte[0], signed), 401, "NODE_NONCE_REPLAYED");
        var elsewhere = NodeClient.of("Org2MSP", "node1", server.getURI(), "Org3MSP");
        refused(elsewhere.get(target), 401, "NODE_WRONG_AUDIENCE");
    }

    @Test
    void a_stale_or_future_timestamp_is_refused() throws Exception {
        var target = inputsOf(jobA, "Org2MSP");
        var past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        refused(node("Org2MSP", "node1").withClock(past).get(target), 401, "NODE_TIMESTAMP_STALE");
        var future = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
        refused(node("Org2MSP", "node1").withClock(future).get(target), 401, "NODE_TIMESTAMP_FUTURE");
    }

    @Test
    void an_expired_assignment_gets_no_inputs() throws Exception {
        var partner = ApiTestKit.partnerToken(client, "attacks-expiry", "User1");
        var job = ExchangeJobs.submitAndMatch(client, partner, "attacks-expiry", 1, "Org2MSP", "Org3MSP");
        var org2 = node("Org2MSP", "node1");
        var target = inputsOf(job, "Org2MSP");
        assertThat(org2.get(target).statusCode()).as("live at first").isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> org2.get(target).statusCode() == 409);
        refused(org2.get(target), 409, "REPLICA_TIMED_OUT");
    }

    @Test
    void outputs_that_do_not_match_their_digest_or_their_uploads_are_refused_and_nothing_is_recorded() throws Exception {
        var org2 = node("Org2MSP", "node1");
        var mine = jobA.of("Org2MSP");
        var bytes = ("outputs of " + jobA.jobId()).getBytes(StandardCharsets.UTF_8);
        var declaration = outputs(mine.attempt(), bytes);
        var wrongDigest = declaration.json().replace(declaration.digest(), "0".repeat(64));
        refused(org2.post(NodeExchange.outputsTarget(jobA.jobId(), mine.replica()), wrongDigest), 422, "MANIFEST_MISMATCH");

        var declared = org2.post(NodeExchange.outputsTarget(jobA.jobId(), mine.replica()), declaration.json());
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(200);
        var upload = json.readValue(declared.body(), JsonNode.class).get("uploads").get(0).get("url").getStringValue();
        assertThat(NodeExchangeIT.put(upload, "other bytes".getBytes(StandardCharsets.UTF_8))).isEqualTo(200);
        var complete = json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", declaration.digest()));

        var mismatch = org2.post(NodeExchange.completeTarget(jobA.jobId(), mine.replica()), complete);

        assertThat(mismatch.statusCode()).as(mismatch.body()).isEqualTo(422);
        assertThat(code(mismatch)).isEqualTo("UPLOAD_MISMATCH");
        assertThat(mismatch.body()).contains("files[0]").contains("bytes hash to " + Sha256.of("other bytes".getBytes(StandardCharsets.UTF_8)).hex());
        assertThat(TestObjects.store().exists(ObjectKey.of(Sha256.of(bytes)))).as("never promoted").isFalse();
        refused(org2.post(NodeExchange.completeTarget(jobA.jobId(), mine.replica()), complete), 422, "UPLOAD_MISMATCH");
    }

    @Test
    void outputs_over_the_size_limit_are_refused_before_any_url_is_handed_out() throws Exception {
        var org2 = node("Org2MSP", "node1");
        var mine = jobA.of("Org2MSP");
        var files = List.of(new OutputsRequest.OutputFile("big.bin", "e".repeat(64), MAX_OUTPUT_BYTES + 1));
        var body = json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", OutputManifest.digest(files),
                "files", List.of(Map.of("path", "big.bin", "sha256", "e".repeat(64), "sizeBytes", MAX_OUTPUT_BYTES + 1))));

        refused(org2.post(NodeExchange.outputsTarget(jobA.jobId(), mine.replica()), body), 422, "OUTPUT_LIMIT_EXCEEDED");
        var traversal = json.writeValueAsString(Map.of("attempt", mine.attempt(), "resultDigest", "e".repeat(64),
                "files", List.of(Map.of("path", "../etc/passwd", "sha256", "e".repeat(64), "sizeBytes", 1))));
        refused(org2.post(NodeExchange.outputsTarget(jobA.jobId(), mine.replica()), traversal), 400, "INVALID_ARGUMENT");
    }

    record Declaration(String json, String digest) {
    }

    Declaration outputs(int attempt, byte[] bytes) throws Exception {
        var files = List.of(new OutputsRequest.OutputFile("out.txt", Sha256.of(bytes).hex(), bytes.length));
        var digest = OutputManifest.digest(files);
        return new Declaration(json.writeValueAsString(Map.of("attempt", attempt, "resultDigest", digest, "files",
                List.of(Map.of("path", "out.txt", "sha256", Sha256.of(bytes).hex(), "sizeBytes", bytes.length)))), digest);
    }

    static KeyPair keys() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
