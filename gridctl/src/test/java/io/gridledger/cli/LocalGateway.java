package io.gridledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Org1's real gateway-service (its classes, started as an HTTP server on a free port) over the test kit's local
 * consortium (devnet + chaincode servers) and the embedded S3 server, for gridctl's ITs: a new data folder, a
 * bootstrap admin token, housekeeping and Kafka dispatch off (the tests drive matching and settlement through the
 * ledger, as the gateway's own API tests do). Partners get tokens through the admin API.
 *
 * <pre>{@code
 * try (var gateway = LocalGateway.start()) {
 *     var token = gateway.partnerToken("alice");
 *     Run.gridctl(gateway.env(token), "jobs", "list");
 * }
 * }</pre>
 */
final class LocalGateway implements AutoCloseable {

    static final String ORG = "Org1MSP";
    static final String ADMIN_TOKEN = "bootstrap-admin-token-for-gridctl-tests-0123456789abcdef";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final EmbeddedServer server;
    private final Path objectsDir;

    private LocalGateway(EmbeddedServer server, Path objectsDir) {
        this.server = server;
        this.objectsDir = objectsDir;
    }

    static LocalGateway start() {
        LocalConsortium.shared();
        Path dataDir;
        Path objectsDir;
        try {
            dataDir = Files.createTempDirectory("gridctl-gateway-");
            objectsDir = Files.createTempDirectory("gridctl-objects-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var properties = new LinkedHashMap<String, Object>(TestLedgers.gatewayProperties(ORG));
        properties.put("micronaut.server.port", -1);
        properties.put("gridledger.api.data-dir", dataDir.toString());
        properties.put("gridledger.api.auth.tokens-file", dataDir.resolve("tokens.json").toString());
        properties.put("gridledger.api.auth.bootstrap-admin-token", ADMIN_TOKEN);
        properties.put("gridledger.housekeeping.enabled", false);
        properties.put("gridledger.dispatch.enabled", false);
        properties.put("gridledger.objects.embedded", true);
        properties.put("gridledger.objects.embedded-data-dir", objectsDir.toString());
        var server = ApplicationContext.run(EmbeddedServer.class, properties, "test");
        return new LocalGateway(server, objectsDir);
    }

    String url() {
        return server.getURI().toString();
    }

    /** The environment a shell of this partner would have: the gateway and the token, no config file. */
    Map<String, String> env(String token) {
        return Map.of("GRIDCTL_URL", url(), "GRIDCTL_TOKEN", token, "HOME", objectsDir.resolve("no-home").toString());
    }

    /** The embedded object store's files (the filesystem backend), for tests that tamper with stored bytes. */
    Path objectsDir() {
        return objectsDir;
    }

    /** A new partner with a token bound to Org1's User1, made by the admin through the API. */
    String partnerToken(String partnerId) {
        var answer = admin("/api/v1/admin/tokens", Map.of("partnerId", partnerId + "-" + UUID.randomUUID(),
                "identity", "User1", "scopes", List.of("jobs:read", "jobs:write", "accounts:read", "offers:read"),
                "expiresInSeconds", 3600));
        return answer.get("token").asText();
    }

    /** Credits for User1's account (the partners' escrow). */
    void fund(long amount) {
        admin("/api/v1/admin/deposits", Map.of("accountId", LocalConsortium.account(ORG, "User1"), "amount", amount));
    }

    private JsonNode admin(String path, Object body) {
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(url()).resolve(path))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Idempotency-Key", UUID.randomUUID().toString())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(GatewayClient.JSON.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
            }
            return GatewayClient.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
