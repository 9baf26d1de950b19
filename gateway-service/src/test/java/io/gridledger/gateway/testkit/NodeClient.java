package io.gridledger.gateway.testkit;

import io.gridledger.exchange.NodeExchange;
import io.gridledger.exchange.NodeRequestSigner;
import io.gridledger.exchange.SignedHeaders;
import io.gridledger.ledger.testkit.LocalConsortium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A provider node talking to another org's gateway through the node exchange, as the provider agent does: each request
 * signed with the node's Fabric identity (its {@code msp/signcerts} certificate and {@code msp/keystore} key). Tests
 * of attacks change the signed headers before sending ({@link #send(String, String, byte[], UnaryOperator)}).
 *
 * <pre>{@code
 * var node = NodeClient.of("Org2MSP", "node1", gatewayUri, "Org1MSP");
 * HttpResponse<String> inputs = node.get(NodeExchange.inputsTarget(jobId, 0, 1));
 * }</pre>
 */
public final class NodeClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final NodeRequestSigner signer;
    private final URI gateway;
    private final String audience;

    public NodeClient(NodeRequestSigner signer, URI gateway, String audience) {
        this.signer = signer;
        this.gateway = gateway;
        this.audience = audience;
    }

    /** {@code user} of {@code mspId} in the local consortium (its certificate and key files). */
    public static NodeClient of(String mspId, String user, URI gateway, String audience) {
        var files = LocalConsortium.shared().org(mspId).user(user);
        return new NodeClient(NodeRequestSigner.create(mspId, read(files.certificate()), privateKey(read(files.privateKey()))),
                gateway, audience);
    }

    /** The same node signing with another clock (a stale or future timestamp). */
    public NodeClient withClock(Clock clock) {
        return new NodeClient(signer.withClock(clock), gateway, audience);
    }

    public HttpResponse<String> get(String target) {
        return send("GET", target, new byte[0], UnaryOperator.identity());
    }

    public HttpResponse<String> post(String target, String json) {
        return send("POST", target, json.getBytes(StandardCharsets.UTF_8), UnaryOperator.identity());
    }

    /** Signs, lets {@code tamper} change the headers, sends. */
    public HttpResponse<String> send(String method, String target, byte[] body, UnaryOperator<Map<String, String>> tamper) {
        return send(method, target, body, tamper.apply(new java.util.LinkedHashMap<>(sign(method, target, body).headers())));
    }

    public SignedHeaders sign(String method, String target, byte[] body) {
        return signer.sign(method, target, audience, body);
    }

    /** Sends with exactly these headers (a replay sends a request's headers again). */
    public HttpResponse<String> send(String method, String target, byte[] body, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(gateway.resolve(target)).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 && method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (!method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static PrivateKey privateKey(String pem) {
        var base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a PKCS#8 EC key", e);
        }
    }

    public static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exchange's paths, for readability in tests. */
    public static String outputs(String jobId, int replica) {
        return NodeExchange.outputsTarget(jobId, replica);
    }
}
