package io.gridledger.gateway.api;

import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.gateway.testkit.MultipartBody;
import io.gridledger.ledger.testkit.TestLedgers;
import io.gridledger.gateway.testkit.TestObjects;
import io.gridledger.storage.ObjectKey;
import io.gridledger.storage.Sha256;
import io.micronaut.http.HttpRequest;
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

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.gridledger.gateway.api.ApiTestKit.ADMIN_TOKEN;
import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.job;
import static io.gridledger.gateway.api.ApiTestKit.postAs;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partner's inputs reach Org1's object store before its job reaches the ledger: announced and uploaded through a
 * presigned URL, or sent in a multipart submission that streams each file to the store; a job naming an input that is
 * not stored, or stored with another size, is refused naming the input, and nothing reaches the ledger.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerInputsIT implements TestPropertyProvider {

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    EmbeddedServer server;

    private final JsonMapper json = JsonMapper.createDefault();
    private String partner;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        return ApiTestKit.properties(Map.of("gridledger.objects.max-object-bytes", String.valueOf(16 * 1024 * 1024)));
    }

    @BeforeAll
    void partner() {
        partner = ApiTestKit.partnerToken(client, "inputs-partner", "User1");
        var deposit = call(client, postAs("/api/v1/admin/deposits", Map.of("accountId", account("Org1MSP", "User1"), "amount", 1_000_000), ADMIN_TOKEN));
        assertThat(deposit.status()).isEqualTo(200);
    }

    static byte[] random(int size, long seed) {
        var bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static Map<String, Object> withInputs(List<Map<String, Object>> inputs) {
        var spec = new LinkedHashMap<>(job(pool("inputs")));
        spec.put("inputs", inputs);
        return spec;
    }

    static Map<String, Object> input(String name, byte[] bytes) {
        return Map.of("name", name, "sha256", Sha256.of(bytes).hex(), "sizeBytes", bytes.length);
    }

    static Map<String, Object> announce(byte[] bytes) {
        return Map.of("sha256", Sha256.of(bytes).hex(), "sizeBytes", bytes.length);
    }

    static int put(String url, byte[] bytes) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(url)).PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<String> multipart(MultipartBody body, String key) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/api/v1/jobs"))
                .header("Authorization", "Bearer " + partner).header(IdempotentRequests.HEADER, key)
                .header("Content-Type", body.contentType()).POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode tree(String body) throws Exception {
        return json.readValue(body, JsonNode.class);
    }

    static Ledger ledger() {
        return TestLedgers.of("Org1MSP");
    }

    @Test
    void an_announced_input_uploaded_through_its_presigned_url_counts_once_the_job_naming_it_is_submitted() throws Exception {
        var bytes = random(100_000, 1);
        var announced = call(client, postAs("/api/v1/uploads", announce(bytes), partner));
        assertThat(announced.status()).as(announced.toString()).isEqualTo(200);
        assertThat(announced.body().get("stored").getBooleanValue()).isFalse();
        assertThat(announced.body().get("method").getStringValue()).isEqualTo("PUT");
        assertThat(put(announced.body().get("url").getStringValue(), bytes)).isEqualTo(200);
        assertThat(TestObjects.store().exists(ObjectKey.of(Sha256.of(bytes)))).as("not before a job names it").isFalse();

        var submitted = call(client, postAs("/api/v1/jobs", withInputs(List.of(input("data.bin", bytes))), partner));

        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        assertThat(TestObjects.store().exists(ObjectKey.of(Sha256.of(bytes)))).isTrue();
        var again = call(client, postAs("/api/v1/uploads", announce(bytes), partner));
        assertThat(again.body().get("stored").getBooleanValue()).isTrue();
        assertThat(again.body().get("url")).isNull();
    }

    @Test
    void an_upload_announced_over_the_size_limit_is_refused_with_a_413_and_no_url() {
        var oversize = call(client, postAs("/api/v1/uploads", Map.of("sha256", "c".repeat(64), "sizeBytes", 16L * 1024 * 1024 + 1), partner));

        assertThat(oversize.status()).as(oversize.toString()).isEqualTo(413);
        assertThat(oversize.code()).isEqualTo("INPUT_TOO_LARGE");
        assertThat(oversize.fields()).containsExactly("sizeBytes");
        assertThat(oversize.raw()).doesNotContain("url");
    }

    @Test
    void a_job_naming_inputs_that_are_not_stored_as_named_is_refused_naming_each_and_reaches_no_ledger() throws Exception {
        var stored = random(1000, 2);
        TestObjects.put(stored);
        var wrongBytes = random(1000, 3);
        var announced = call(client, postAs("/api/v1/uploads", announce(wrongBytes), partner));
        assertThat(put(announced.body().get("url").getStringValue(), random(1000, 4))).isEqualTo(200);
        var key = "missing-" + UUID.randomUUID();
        var before = partnerJobs();

        var refused = call(client, postAs("/api/v1/jobs", withInputs(List.of(
                input("ok.bin", stored),
                Map.of("name", "size.bin", "sha256", Sha256.of(stored).hex(), "sizeBytes", 999),
                input("never.bin", random(10, 5)),
                input("w.bin", wrongBytes))), partner, key));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("INPUTS_NOT_STORED");
        assertThat(refused.fields()).containsExactly("inputs[1]", "inputs[2]", "inputs[3]");
        assertThat(refused.raw()).contains("is 1000 bytes, not 999");
        assertThat(TestObjects.store().pendingUploads(Sha256.of(wrongBytes))).as("the wrong bytes were discarded").isEmpty();
        assertThat(partnerJobs()).as("nothing reached the ledger").isEqualTo(before);

        var size = call(client, postAs("/api/v1/uploads", Map.of("sha256", Sha256.of(stored).hex(), "sizeBytes", 5), partner));
        assertThat(size.status()).isEqualTo(422);
        assertThat(size.fields()).containsExactly("sizeBytes");
        var invalid = call(client, postAs("/api/v1/uploads", Map.of("sha256", "XYZ", "sizeBytes", -1), partner));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.fields()).containsExactlyInAnyOrder("sha256", "sizeBytes");
    }

    @Test
    void a_multipart_submission_streams_its_files_to_the_store_filling_in_digests_and_a_retry_gets_the_same_job() throws Exception {
        var big = random(8 * 1024 * 1024 + 5, 6);
        var small = "small input".getBytes(StandardCharsets.UTF_8);
        var spec = json.writeValueAsString(withInputs(List.of(
                Map.of("name", "big.bin"),
                input("small.txt", small),
                input("stored.txt", TestObjects.TEST_INPUT))));
        var key = "multipart-" + UUID.randomUUID();
        var body = new MultipartBody().json("spec", spec)
                .file("big.bin", () -> new ByteArrayInputStream(big)).file("small.txt", () -> new ByteArrayInputStream(small));

        var answer = multipart(body, key);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        var job = tree(answer.body());
        var jobId = job.get("jobId").getStringValue();
        assertThat(answer.headers().firstValue("Location")).contains("/api/v1/jobs/" + jobId);
        var onLedger = ledger().getJob("User1", jobId).job().spec().inputs();
        assertThat(onLedger).extracting(i -> i.name() + " " + i.sha256() + " " + i.sizeBytes()).containsExactly(
                "big.bin " + Sha256.of(big).hex() + " " + big.length,
                "small.txt " + Sha256.of(small).hex() + " " + small.length,
                "stored.txt " + Sha256.of(TestObjects.TEST_INPUT).hex() + " " + TestObjects.TEST_INPUT.length);
        try (InputStream in = TestObjects.store().get(ObjectKey.of(Sha256.of(big)))) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }

        var retried = multipart(body, key);
        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(tree(retried.body()).get("jobId").getStringValue()).isEqualTo(jobId);
    }

    @Test
    void multipart_files_that_do_not_match_their_input_or_parts_out_of_place_are_refused_precisely() throws Exception {
        var bytes = random(5000, 7);
        var other = random(5000, 8);
        var spec = json.writeValueAsString(withInputs(List.of(input("a.bin", bytes))));

        var mismatch = multipart(new MultipartBody().json("spec", spec).file("a.bin", () -> new ByteArrayInputStream(other)), "mm-" + UUID.randomUUID());
        assertThat(mismatch.statusCode()).as(mismatch.body()).isEqualTo(422);
        assertThat(tree(mismatch.body()).get("code").getStringValue()).isEqualTo("INPUT_MISMATCH");
        assertThat(tree(mismatch.body()).get("details").get(0).get("field").getStringValue()).isEqualTo("inputs[0].sha256");
        assertThat(TestObjects.store().exists(ObjectKey.of(Sha256.of(other)))).as("refused bytes are not stored").isFalse();

        var fileFirst = multipart(new MultipartBody().file("a.bin", () -> new ByteArrayInputStream(bytes)).json("spec", spec), "ff-" + UUID.randomUUID());
        assertThat(fileFirst.statusCode()).isEqualTo(400);
        assertThat(fileFirst.body()).contains("\"field\":\"spec\"");

        var unknown = multipart(new MultipartBody().json("spec", spec).file("a.bin", () -> new ByteArrayInputStream(bytes))
                .file("b.bin", () -> new ByteArrayInputStream(bytes)), "uk-" + UUID.randomUUID());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"field\":\"parts.b.bin\"");

        var badSpec = multipart(new MultipartBody().json("spec", "{\"image\":1"), "bs-" + UUID.randomUUID());
        assertThat(badSpec.statusCode()).isEqualTo(400);
        var invalidSpec = new LinkedHashMap<>(withInputs(List.of(Map.of("name", "a.bin"))));
        invalidSpec.put("maxUnitPrice", -1);
        var invalid = multipart(new MultipartBody().json("spec", json.writeValueAsString(invalidSpec))
                .file("a.bin", () -> new ByteArrayInputStream(bytes)), "iv-" + UUID.randomUUID());
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"field\":\"maxUnitPrice\"");

        var noFile = multipart(new MultipartBody().json("spec", json.writeValueAsString(withInputs(List.of(Map.of("name", "a.bin"))))),
                "nf-" + UUID.randomUUID());
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(noFile.body()).contains("\"field\":\"inputs[0].sha256\"");
    }

    List<String> partnerJobs() {
        var ids = new java.util.ArrayList<String>();
        call(client, HttpRequest.GET("/api/v1/jobs?pageSize=200").bearerAuth(partner)).body().get("items").values()
                .forEach(job -> ids.add(job.get("jobId").getStringValue()));
        return ids;
    }
}
