package io.gridledger.agent.exchange.http;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.exchange.ExchangeException;
import io.gridledger.agent.exchange.JobExchange;
import io.gridledger.exchange.CompleteRequest;
import io.gridledger.exchange.ErrorBody;
import io.gridledger.exchange.InputsResponse;
import io.gridledger.exchange.NodeExchange;
import io.gridledger.exchange.NodeRequestSigner;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.exchange.OutputsResponse;
import io.gridledger.exchange.ProgressRequest;
import io.gridledger.exchange.ReplicaResult;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link JobExchange} over HTTP to the client org's gateway: each request signed with the node's identity
 * ({@link NodeRequestSigner}, NODE-EXCHANGE.md's six headers, audience = the client org), JSON bodies, the protocol's
 * error body read into {@link ExchangeException}. Requests are signed anew for every send.
 */
public final class SignedGatewayExchange implements JobExchange {

    private final NodeRequestSigner signer;
    private final Function<String, Optional<String>> gateways;
    private final JsonMapper json;
    private final HttpClient http;
    private final Duration requestTimeout;

    /**
     * @param gateways the base URL of an org's gateway by its MSP ID ({@code http://gateway.org1.example:8080})
     */
    public SignedGatewayExchange(NodeRequestSigner signer, Function<String, Optional<String>> gateways, JsonMapper json,
                                 HttpClient http, Duration requestTimeout) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.gateways = Objects.requireNonNull(gateways, "gateways");
        this.json = Objects.requireNonNull(json, "json");
        this.http = Objects.requireNonNull(http, "http");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    @Override
    public InputsResponse inputs(String clientOrg, JobKey job) throws ExchangeException {
        return call(clientOrg, "GET", NodeExchange.inputsTarget(job.jobId(), job.replica(), job.attempt()), null,
                InputsResponse.class);
    }

    @Override
    public OutputsResponse declareOutputs(String clientOrg, JobKey job, OutputsRequest outputs) throws ExchangeException {
        return call(clientOrg, "POST", NodeExchange.outputsTarget(job.jobId(), job.replica()), outputs,
                OutputsResponse.class);
    }

    @Override
    public ReplicaResult complete(String clientOrg, JobKey job, CompleteRequest complete) throws ExchangeException {
        return call(clientOrg, "POST", NodeExchange.completeTarget(job.jobId(), job.replica()), complete,
                ReplicaResult.class);
    }

    @Override
    public void progress(String clientOrg, JobKey job, ProgressRequest progress) throws ExchangeException {
        call(clientOrg, "POST", NodeExchange.progressTarget(job.jobId(), job.replica()), progress, Void.class);
    }

    private <T> T call(String clientOrg, String method, String target, Object body, Class<T> answer)
            throws ExchangeException {
        String base = gateways.apply(clientOrg).orElseThrow(() -> ExchangeException.unreachable(
                "no gateway configured for " + clientOrg + " (gridledger.agent.gateways." + clientOrg + ")", null));
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        var signed = signer.sign(method, target, clientOrg, bytes);
        var request = HttpRequest.newBuilder(URI.create(stripSlash(base) + signed.canonical().target()))
                .timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        signed.headers().forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw ExchangeException.unreachable(method + " " + base + target + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ExchangeException.unreachable("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw failure(response);
        }
        if (answer == Void.class) {
            return null;
        }
        try {
            return json.readValue(response.body(), Argument.of(answer));
        } catch (IOException e) {
            throw new ExchangeException("MALFORMED_ANSWER", response.statusCode(), "the gateway's answer to "
                    + method + " " + target + " is not a " + answer.getSimpleName() + ": " + e.getMessage(), null, e);
        }
    }

    private ExchangeException failure(HttpResponse<byte[]> response) {
        String code = "HTTP_" + response.statusCode();
        String message = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            var error = json.readValue(response.body(), Argument.of(ErrorBody.class));
            if (error != null && error.code() != null) {
                code = error.code();
                message = error.message();
            }
        } catch (IOException | RuntimeException e) {
            // not the protocol's body (a proxy's page): keep the status and the text
        }
        Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(SignedGatewayExchange::seconds)
                .orElse(null);
        return new ExchangeException(code, response.statusCode(), message, retryAfter, null);
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
