package io.gridledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The partner REST API of one gateway ({@code <url>/api/v1}) over Java's HttpClient, authenticated with a bearer
 * token. Every refusal becomes an {@link ApiFailure} carrying the API's error body; redirects are never followed
 * automatically (a presigned URL must not receive the token).
 *
 * <pre>{@code
 * var api = new GatewayClient(URI.create("http://localhost:8080"), token);
 * JsonNode job = api.get("/jobs/" + jobId);
 * }</pre>
 */
public final class GatewayClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI api;
    private final String token;
    private final HttpClient http;

    public GatewayClient(URI base, String token) {
        this.api = URI.create(Objects.requireNonNull(base, "base") + "/api/v1");
        this.token = Objects.requireNonNull(token, "token");
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** {@code path?k=v&…} with the values URL-encoded; null values are left out. */
    public static String query(String path, Map<String, ?> parameters) {
        var query = new StringBuilder();
        parameters.forEach((key, value) -> {
            if (value != null) {
                query.append(query.length() == 0 ? '?' : '&').append(key).append('=')
                        .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            }
        });
        return path + query;
    }

    /** {@code a/b c} → {@code a/b%20c}: each segment encoded, the slashes kept. */
    public static String pathSegments(String path) {
        var encoded = new ArrayList<String>();
        for (var segment : path.split("/", -1)) {
            encoded.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", encoded);
    }

    public JsonNode get(String path) {
        return json(send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** POST of a JSON body with an Idempotency-Key (a new one when null). */
    public JsonNode post(String path, Object body, String idempotencyKey) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        var request = request(path).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return json(send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** POST of a streamed body ({@code multipart/form-data}: the boundary is in {@code contentType}). */
    public JsonNode post(String path, String contentType, Supplier<InputStream> body, String idempotencyKey) {
        var request = HttpRequest.newBuilder(api.resolve(api.getPath() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .header("Idempotency-Key", idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)).build();
        return json(send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** An answer that is expected to be a redirect (303) or 200; anything else is refused. */
    public HttpResponse<String> redirectOf(String path) {
        var response = send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 303 && response.statusCode() != 200) {
            throw failure(response.statusCode(), response.body(), response);
        }
        return response;
    }

    /** The open event stream of {@code path} (text/event-stream), from {@code lastEventId} when given. */
    public HttpResponse<InputStream> events(String path, String lastEventId) {
        var request = HttpRequest.newBuilder(api.resolve(api.getPath() + path)).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        var response = send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body;
            try (var in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw failure(response.statusCode(), body, response);
        }
        return response;
    }

    /** A presigned URL (object store): no token sent. */
    public HttpResponse<InputStream> presignedGet(URI url) {
        var response = send(HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (var in = response.body()) {
                in.readAllBytes();
            } catch (IOException ignored) {
                // the status says enough
            }
            throw ApiFailure.local("DOWNLOAD_FAILED", "the object store answered " + response.statusCode() + " for "
                    + url.getPath(), ExitCodes.ERROR);
        }
        return response;
    }

    /** A presigned PUT of a file (object store): no token sent. */
    public void presignedPut(URI url, java.nio.file.Path file) {
        HttpRequest.BodyPublisher bytes;
        try {
            bytes = HttpRequest.BodyPublishers.ofFile(file);
        } catch (java.io.FileNotFoundException e) {
            throw ApiFailure.local("NO_FILE", "input file not found: " + file, ExitCodes.INVALID);
        }
        var response = send(HttpRequest.newBuilder(url).PUT(bytes).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw ApiFailure.local("UPLOAD_FAILED", "the object store answered " + response.statusCode() + " to the upload of "
                    + file, ExitCodes.ERROR);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(api.resolve(api.getPath() + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw ApiFailure.local("UNREACHABLE", "cannot reach " + request.uri().getScheme() + "://"
                    + request.uri().getAuthority() + ": " + (e.getMessage() != null ? e.getMessage()
                    : e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName()),
                    ExitCodes.ERROR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiFailure.local("INTERRUPTED", "interrupted", ExitCodes.ERROR);
        }
    }

    private JsonNode json(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw failure(response.statusCode(), response.body(), response);
        }
        if (response.body() == null || response.body().isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw ApiFailure.local("BAD_ANSWER", "the gateway's answer is not JSON: " + abbreviate(response.body()), ExitCodes.ERROR);
        }
    }

    /** The API's error body as a failure; a body that is not one (a proxy's page) is summarized. */
    static ApiFailure failure(int status, String body, HttpResponse<?> response) {
        var retryAfter = response == null ? null : response.headers().firstValue("Retry-After").orElse(null);
        try {
            var tree = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (tree != null && tree.hasNonNull("code")) {
                var details = new ArrayList<ApiFailure.Detail>();
                for (var detail : tree.path("details")) {
                    details.add(new ApiFailure.Detail(detail.hasNonNull("field") ? detail.get("field").asText() : null,
                            detail.path("reason").asText(detail.toString())));
                }
                return new ApiFailure(status, tree.get("code").asText(), tree.path("message").asText(""), details, body, retryAfter);
            }
        } catch (IOException e) {
            // not the API's error body
        }
        var raw = new LinkedHashMap<String, Object>();
        raw.put("code", "HTTP_" + status);
        raw.put("message", body == null || body.isBlank() ? "no body" : abbreviate(body));
        raw.put("details", List.of());
        String json;
        try {
            json = JSON.writeValueAsString(raw);
        } catch (IOException e) {
            json = null;
        }
        return new ApiFailure(status, "HTTP_" + status, (String) raw.get("message"), List.of(), json, retryAfter);
    }

    private static String abbreviate(String text) {
        var oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
