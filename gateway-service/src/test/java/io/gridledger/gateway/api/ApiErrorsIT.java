package io.gridledger.gateway.api;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.getAs;
import static io.gridledger.gateway.api.ApiTestKit.job;
import static io.gridledger.gateway.api.ApiTestKit.postAs;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the partner API answers to requests it must refuse: each with the one error body, a precise status and the
 * fields at fault; and who it lets in (API tokens, JWTs signed with the configured key, nobody else).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiErrorsIT implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    private String partner;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        return ApiTestKit.properties(Map.of());
    }

    @BeforeAll
    void partner() {
        partner = ApiTestKit.partnerToken(client, "errors", "User1");
    }

    @Test
    void a_job_spec_with_a_missing_digest_and_negative_resources_names_each_field() {
        var spec = job(pool("errors"));
        spec.put("inputs", List.of(Map.of("name", "data.bin", "sizeBytes", 10)));
        var resources = new HashMap<>(castMap(spec.get("resources")));
        resources.put("cpuMillis", -1);
        resources.put("memoryMiB", 0);
        spec.put("resources", resources);
        spec.put("image", "registry.local/sim:latest");

        var answer = call(client, postAs("/api/v1/jobs", spec, partner));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("INVALID_ARGUMENT");
        assertThat(answer.fields()).containsExactlyInAnyOrder("image", "inputs[0].sha256", "resources.cpuMillis", "resources.memoryMiB");
    }

    @Test
    void a_missing_required_field_is_named() {
        var spec = job(pool("errors"));
        spec.remove("deadline");
        var answer = call(client, postAs("/api/v1/jobs", spec, partner));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.fields()).as(answer.toString()).containsExactly("deadline");
    }

    @Test
    void an_unknown_field_is_refused_and_named_at_any_depth() {
        var spec = job(pool("errors"));
        spec.put("priority", "high");
        var top = call(client, postAs("/api/v1/jobs", spec, partner));
        assertThat(top.status()).as(top.toString()).isEqualTo(400);
        assertThat(top.fields()).as(top.toString()).containsExactly("priority");

        var nested = job(pool("errors"));
        var resources = new HashMap<>(castMap(nested.get("resources")));
        resources.put("gpus", 1);
        nested.put("resources", resources);
        var deep = call(client, postAs("/api/v1/jobs", nested, partner));
        assertThat(deep.status()).as(deep.toString()).isEqualTo(400);
        assertThat(deep.fields()).as(deep.toString()).containsExactly("gpus");
    }

    @Test
    void malformed_json_is_a_400_and_a_wrong_content_type_a_415() {
        var malformed = call(client, HttpRequest.POST("/api/v1/jobs", "{\"image\": ").bearerAuth(partner)
                .contentType(MediaType.APPLICATION_JSON_TYPE).header(IdempotentRequests.HEADER, "malformed"));
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("INVALID_ARGUMENT");
        assertThat(malformed.raw()).doesNotContain("Exception").doesNotContain("\tat ");

        var text = call(client, HttpRequest.POST("/api/v1/jobs", "image=x").bearerAuth(partner)
                .contentType(MediaType.TEXT_PLAIN_TYPE).header(IdempotentRequests.HEADER, "text"));
        assertThat(text.status()).as(text.toString()).isEqualTo(415);
        assertThat(text.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void an_oversize_body_is_a_413_and_a_spec_over_the_ledgers_limit_a_400() {
        var huge = job(pool("errors"));
        huge.put("command", List.of("x".repeat(4000), "y".repeat(4000)));
        huge.put("env", Map.of("A", "a".repeat(4000), "B", "b".repeat(4000), "C", "c".repeat(4000), "D", "d".repeat(4000)));
        var overLedgerLimit = call(client, postAs("/api/v1/jobs", huge, partner));
        assertThat(overLedgerLimit.status()).as(overLedgerLimit.toString()).isEqualTo(400);
        assertThat(overLedgerLimit.code()).isEqualTo("INVALID_ARGUMENT");

        var body = "{\"image\":\"" + "a".repeat(70_000) + "\"}";
        var oversize = call(client, HttpRequest.POST("/api/v1/jobs", body.getBytes(StandardCharsets.UTF_8)).bearerAuth(partner)
                .contentType(MediaType.APPLICATION_JSON_TYPE).header(IdempotentRequests.HEADER, "oversize"));
        assertThat(oversize.status()).as(oversize.toString()).isEqualTo(413);
        assertThat(oversize.code()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void a_post_without_an_idempotency_key_is_refused_naming_the_header() {
        var answer = call(client, HttpRequest.POST("/api/v1/jobs", job(pool("errors"))).bearerAuth(partner)
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.fields()).containsExactly(IdempotentRequests.HEADER);
    }

    @Test
    void unknown_routes_and_methods_answer_the_error_body() {
        var route = call(client, getAs("/api/v1/nothing-here", partner));
        assertThat(route.status()).as(route.toString()).isEqualTo(404);
        assertThat(route.code()).isEqualTo("NOT_FOUND");
        var method = call(client, HttpRequest.DELETE("/api/v1/jobs").bearerAuth(partner));
        assertThat(method.status()).as(method.toString()).isIn(404, 405);
        assertThat(method.body().get("code")).isNotNull();
    }

    @Test
    void an_unauthenticated_request_is_a_401_with_the_error_body() {
        var none = call(client, HttpRequest.GET("/api/v1/jobs"));
        assertThat(none.status()).as(none.toString()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("UNAUTHENTICATED");
        var unknown = call(client, getAs("/api/v1/jobs", "glt_" + "x".repeat(43)));
        assertThat(unknown.status()).isEqualTo(401);
        var garbage = call(client, getAs("/api/v1/jobs", "not-a-token"));
        assertThat(garbage.status()).isEqualTo(401);
    }

    @Test
    void a_jwt_signed_with_the_configured_key_authenticates_a_partner_and_others_do_not() throws Exception {
        var claims = new JWTClaimsSet.Builder().subject("jwt-partner").claim("scope", "jobs:read offers:read")
                .claim("gridledger_identity", "User1").expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
        var signed = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        signed.sign(new MACSigner(ApiTestKit.JWT_SECRET.getBytes(StandardCharsets.UTF_8)));

        var ok = call(client, getAs("/api/v1/jobs", signed.serialize()));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        var noScope = call(client, postAs("/api/v1/jobs", job(pool("errors")), signed.serialize()));
        assertThat(noScope.status()).as(noScope.toString()).isEqualTo(403);

        var forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        forged.sign(new MACSigner("another-secret-another-secret-another-secret!!".getBytes(StandardCharsets.UTF_8)));
        assertThat(call(client, getAs("/api/v1/jobs", forged.serialize())).status()).isEqualTo(401);
        assertThat(call(client, getAs("/api/v1/jobs", new PlainJWT(claims).serialize())).status()).isEqualTo(401);

        var expiredClaims = new JWTClaimsSet.Builder(claims).expirationTime(Date.from(Instant.now().minusSeconds(600))).build();
        var expired = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), expiredClaims);
        expired.sign(new MACSigner(ApiTestKit.JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThat(call(client, getAs("/api/v1/jobs", expired.serialize())).status()).isEqualTo(401);

        var asAdmin = new JWTClaimsSet.Builder(claims).claim("gridledger_identity", "Admin").build();
        var escalating = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), asAdmin);
        escalating.sign(new MACSigner(ApiTestKit.JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
        var refused = call(client, getAs("/api/v1/jobs", escalating.serialize()));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    }

    @Test
    void an_unknown_job_is_a_404_and_a_malformed_job_id_a_400() {
        var unknown = call(client, getAs("/api/v1/jobs/j-abc-def", partner));
        assertThat(unknown.status()).isEqualTo(404);
        var malformed = call(client, getAs("/api/v1/jobs/bad%20id!", partner));
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
        assertThat(malformed.fields()).containsExactly("jobId");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }
}
