package io.gridledger.consortium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Where everything of a running local consortium is, for people (the summary {@code up} prints) and for tools
 * ({@code DATA/endpoints.json}, owner-readable only: it holds tokens; {@code demo} and {@code env} read it).
 */
final class Endpoints {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Endpoints() {
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("endpoints.json");
    }

    static void write(LocalStack stack) {
        var settings = stack.settings();
        var root = JSON.createObjectNode();
        root.put("dataDir", settings.dataDir().toString());
        root.put("logsDir", settings.logsDir().toString());
        root.put("ordererEndpoint", "127.0.0.1:" + settings.ordererPort());
        root.put("connectionProfile", settings.devnetDir().resolve("connection.json").toString());
        if (settings.jobImage() != null) {
            root.put("jobImage", settings.jobImage());
        }
        ObjectNode orgs = root.putObject("orgs");
        for (var org : settings.mspIds()) {
            var node = orgs.putObject(org);
            var url = settings.gatewayUrl(org);
            node.put("url", url);
            node.put("openapi", url + "/api/v1/openapi.yml");
            node.put("docs", url + "/api/v1/docs");
            if (serves(url + "/console/")) {
                node.put("console", url + "/console/");
            }
            node.put("partnerToken", stack.partnerToken(org));
            node.put("partnerAccount", Provisioning.account(org, "User1"));
            node.put("adminToken", stack.adminToken(org));
            node.put("peerEndpoint", stack.devnetOrgs().get(org).peerEndpoint());
            node.put("kafka", "127.0.0.1:" + settings.kafkaPort(org));
            node.put("objectStore", "http://127.0.0.1:" + settings.objectStorePort(org));
            if (settings.agentMspIds().contains(org)) {
                node.put("agent", "http://127.0.0.1:" + settings.agentPort(org) + "/health");
            }
        }
        var file = file(settings.dataDir());
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static JsonNode read(Path dataDir) {
        var file = file(dataDir);
        if (!Files.exists(file)) {
            throw new StackException("no local consortium in " + dataDir.toAbsolutePath() + ": start one with ./gridledger up");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The block {@code up} prints once the consortium is ready. */
    static String summary(LocalStack stack, double seconds) {
        var settings = stack.settings();
        var endpoints = read(settings.dataDir());
        var text = new StringBuilder();
        text.append(String.format("%nGridLedger local consortium ready in %.1f s: %d orgs, agents of %s%n%n", seconds,
                settings.orgs(), settings.agentMspIds()));
        var orgs = endpoints.path("orgs");
        for (var org : settings.mspIds()) {
            var node = orgs.path(org);
            text.append(org).append('\n');
            line(text, "REST API", node.path("url").asText() + "/api/v1");
            line(text, "OpenAPI", node.path("openapi").asText() + "   (UI: " + node.path("docs").asText() + ")");
            if (node.has("console")) {
                line(text, "console", node.path("console").asText() + "   (sign in with the admin token)");
            }
            line(text, "partner token", node.path("partnerToken").asText() + "   (" + node.path("partnerAccount").asText() + ")");
            line(text, "admin token", node.path("adminToken").asText());
            if (node.has("agent")) {
                line(text, "provider agent", node.path("agent").asText());
            }
            text.append('\n');
        }
        if (endpoints.has("jobImage")) {
            line(text, "job image", endpoints.path("jobImage").asText());
        }
        line(text, "data", settings.dataDir() + "   (logs: " + settings.logsDir() + ")");
        text.append(String.format("%nTry it:  ./gridledger demo      or:  eval \"$(./gridledger env --org Org1MSP)\"; "
                + "gridctl/gridctl jobs list%nCtrl-C stops the consortium; ./gridledger up resumes it.%n"));
        return text.toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format("  %-15s %s%n", label, value));
    }

    private static boolean serves(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
