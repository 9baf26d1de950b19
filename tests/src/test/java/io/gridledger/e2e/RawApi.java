package io.gridledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * The partner REST API spoken by hand with {@code java.net.http}, for what gridctl would never send: invalid JSON,
 * forged or missing tokens, oversized bodies. Every answer is kept whole (status, headers, body) so the tests can check
 * the error body the API promises ({@code code}, {@code message}, {@code details}).
 */
final class RawApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer of the API. */
    record Answer(int status, String contentType, String body, long millis) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + ", " + contentType + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType + " in " + millis + " ms: " + body;
        }
    }

    private final String base;
    private final String token;

    RawApi(String gatewayUrl, String token) {
        this.base = gatewayUrl + "/api/v1";
        this.token = token;
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    /** A POST of {@code body} as {@code application/json}, with a fresh Idempotency-Key. */
    Answer post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .header("Idempotency-Key", "e2e-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static Answer send(HttpRequest.Builder request) {
        long started = System.nanoTime();
        try {
            var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new AssertionError("no answer from the gateway: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
