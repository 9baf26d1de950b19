package io.gridledger.gateway.api;

import io.gridledger.ledger.testkit.TestLedgers;
import io.gridledger.gateway.testkit.TestObjects;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The partner API of Org1's gateway against the local consortium, for tests: its configuration (a fresh data folder,
 * a bootstrap admin token, a JWT key), partner tokens made through the admin endpoint, and an HTTP helper that returns
 * every answer, error or not, with its body as JSON.
 */
final class ApiTestKit {

    static final String ORG = "Org1MSP";
    /** The input every test job names: stored in the shared test bucket before any gateway starts. */
    static final String TEST_INPUT_SHA256 = io.gridledger.storage.Sha256.of(TestObjects.TEST_INPUT).hex();
    static final String ADMIN_TOKEN = "bootstrap-admin-token-for-tests-0123456789abcdef";
    /** HS256 key the tests sign JWTs with (at least 256 bits). */
    static final String JWT_SECRET = "jwt-secret-for-the-gateway-api-tests-0123456789abcdef";

    private ApiTestKit() {
    }

    /** Org1's gateway with the partner API: ledger, a new data folder, housekeeping off (the tests drive the jobs). */
    static Map<String, String> properties(Map<String, String> overrides) {
        var properties = new LinkedHashMap<String, String>();
        TestLedgers.gatewayProperties(ORG).forEach((k, v) -> properties.put(k, String.valueOf(v)));
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("gridledger-api-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.put("gridledger.api.data-dir", dataDir.toString());
        properties.put("gridledger.api.auth.tokens-file", dataDir.resolve("tokens.json").toString());
        properties.put("gridledger.api.auth.bootstrap-admin-token", ADMIN_TOKEN);
        properties.put("gridledger.api.rate-limit.burst", "100000");
        properties.put("gridledger.api.rate-limit.per-second", "100000");
        properties.put("micronaut.security.token.jwt.signatures.secret.tests.secret", JWT_SECRET);
        properties.put("micronaut.security.token.jwt.signatures.secret.tests.jws-algorithm", "HS256");
        // gateway-core's dispatch and housekeeping, once merged: these tests drive matching and settlement themselves.
        properties.put("gridledger.housekeeping.enabled", "false");
        properties.put("gridledger.dispatch.enabled", "false");
        // the console projection reads every event of the shared consortium: only the tests of it turn it on
        properties.put("gridledger.insights.enabled", "false");
        properties.putAll(TestObjects.gatewayProperties());
        properties.putAll(overrides);
        return properties;
    }

    /** A new partner of this gateway with a token bound to {@code identity}, made by the admin through the API. */
    static String partnerToken(HttpClient client, String partnerId, String identity, String... scopes) {
        var body = Map.of("partnerId", partnerId, "identity", identity, "scopes", List.of(scopes.length == 0
                ? new String[]{"jobs:read", "jobs:write", "accounts:read", "offers:read"} : scopes), "expiresInSeconds", 3600);
        var response = call(client, postAs("/api/v1/admin/tokens", body, ADMIN_TOKEN));
        if (response.status() != 201) {
            throw new IllegalStateException("token not created: " + response.status() + " " + response.body());
        }
        return response.body().get("token").getStringValue();
    }

    static MutableHttpRequest<Object> postAs(String uri, Object body, String token) {
        return postAs(uri, body, token, UUID.randomUUID().toString());
    }

    static MutableHttpRequest<Object> postAs(String uri, Object body, String token, String idempotencyKey) {
        return HttpRequest.POST(uri, body).bearerAuth(token).header(IdempotentRequests.HEADER, idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    static MutableHttpRequest<Object> getAs(String uri, String token) {
        return HttpRequest.GET(uri).bearerAuth(token);
    }

    /** An answer and its body as a JSON tree (null when it had none). */
    record Answer(HttpResponse<?> response, JsonNode body, String raw) {
        int status() {
            return response.code();
        }

        @Override
        public String toString() {
            return response.code() + " " + raw;
        }

        String code() {
            return body.get("code").getStringValue();
        }

        String header(String name) {
            return response.getHeaders().get(name);
        }

        /** The fields the error's details name. */
        List<String> fields() {
            var fields = new java.util.ArrayList<String>();
            body.get("details").values().forEach(d -> fields.add(d.get("field") == null ? null : d.get("field").getStringValue()));
            return fields;
        }
    }

    static Answer call(HttpClient client, HttpRequest<?> request) {
        var json = JsonMapper.createDefault();
        HttpResponse<String> response;
        try {
            response = client.toBlocking().exchange(request, Argument.STRING, Argument.STRING);
        } catch (HttpClientResponseException e) {
            @SuppressWarnings("unchecked")
            var failed = (HttpResponse<String>) e.getResponse();
            response = failed;
            var raw = e.getResponse().getBody(String.class).orElse(null);
            return new Answer(response, parse(json, raw), raw);
        }
        return new Answer(response, parse(json, response.body()), response.body());
    }

    private static JsonNode parse(JsonMapper json, String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return json.readValue(body, JsonNode.class);
        } catch (IOException e) {
            return JsonNode.createStringNode(body);
        }
    }

    /** A valid job submission for the API: 2 replicas (quorum 2), labels keeping it on the test's own offers. */
    static Map<String, Object> job(Map<String, String> labels) {
        var resources = new LinkedHashMap<String, Object>();
        resources.put("cpuMillis", 2000);
        resources.put("memoryMiB", 1024);
        resources.put("storageMiB", 100);
        resources.put("arch", "amd64");
        resources.put("labels", labels);
        var job = new LinkedHashMap<String, Object>();
        job.put("image", "registry.local/sim@sha256:" + "a".repeat(64));
        job.put("command", List.of("sh", "-c", "run"));
        job.put("env", Map.of("MODE", "fast"));
        job.put("inputs", List.of(Map.of("name", "data.bin", "sha256", TEST_INPUT_SHA256, "sizeBytes",
                TestObjects.TEST_INPUT.length)));
        job.put("resources", resources);
        job.put("maxUnitPrice", 20);
        job.put("timeoutSeconds", 600);
        job.put("verification", Map.of("mode", "REPLICATED", "replicas", 2, "quorum", 2));
        job.put("deadline", Instant.now().getEpochSecond() + 86_400);
        return job;
    }
}
