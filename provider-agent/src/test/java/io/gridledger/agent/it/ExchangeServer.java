package io.gridledger.agent.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridledger.agent.JobKey;
import io.gridledger.agent.exchange.ExchangeException;
import io.gridledger.exchange.CertificateTrust;
import io.gridledger.exchange.CompleteRequest;
import io.gridledger.exchange.ErrorBody;
import io.gridledger.exchange.InMemoryNonceRegistry;
import io.gridledger.exchange.NodeCertificates;
import io.gridledger.exchange.NodeExchange;
import io.gridledger.exchange.NodeRequestRejectedException;
import io.gridledger.exchange.NodeRequestVerifier;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.exchange.ProgressRequest;
import io.gridledger.exchange.VerifiedNode;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client org's side of the node exchange over HTTP (gateway-service/NODE-EXCHANGE.md), for the agent's ITs until
 * the gateway serves it: every request's signature is verified with the node-exchange library (the certificate must be
 * one of the consortium's identities of the claimed MSP), the replica must be the signing node's on the ledger, then
 * {@link StoreExchange} answers with presigned URLs of the real embedded S3 server. The agent under test talks to it
 * with its production adapter, {@code SignedGatewayExchange}.
 */
final class ExchangeServer implements AutoCloseable {

    private static final Pattern INPUTS = Pattern.compile("/api/v1/exchange/jobs/([^/]+)/inputs");
    private static final Pattern REPLICA = Pattern.compile("/api/v1/exchange/jobs/([^/]+)/replicas/([0-9]+)/(outputs|outputs/complete|progress)");

    private final HttpServer server;
    private final StoreExchange store;
    private final Ledger clientLedger;
    private final NodeRequestVerifier verifier;
    private final ObjectMapper json = ObjectMapper.getDefault();
    /** Every refused request, as {@code CODE path}. */
    final List<String> refusals = new CopyOnWriteArrayList<>();

    private ExchangeServer(HttpServer server, StoreExchange store, Ledger clientLedger, String clientOrg) {
        this.server = server;
        this.store = store;
        this.clientLedger = clientLedger;
        this.verifier = new NodeRequestVerifier(clientOrg, Clock.systemUTC(), NodeExchange.DEFAULT_CLOCK_TOLERANCE,
                consortiumTrust(), new InMemoryNonceRegistry(100_000, Clock.systemUTC()));
    }

    /** Listens on every interface (the network test tries to reach it from a container), on a free port. */
    static ExchangeServer start(String clientOrg, StoreExchange store, Ledger clientLedger) {
        try {
            var http = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 64);
            var server = new ExchangeServer(http, store, clientLedger, clientOrg);
            http.createContext(NodeExchange.BASE_PATH, server::handle);
            http.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
                var thread = new Thread(runnable, "exchange-server");
                thread.setDaemon(true); // never keeps a test or benchmark JVM (and its child processes) alive
                return thread;
            }));
            http.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            byte[] body = http.getRequestBody().readAllBytes();
            String target = http.getRequestURI().getRawPath()
                    + (http.getRequestURI().getRawQuery() == null ? "" : "?" + http.getRequestURI().getRawQuery());
            try {
                VerifiedNode node = verifier.verify(http.getRequestMethod(), target,
                        name -> http.getRequestHeaders().getOrDefault(name, List.of()), body);
                Object answer = route(http.getRequestMethod(), http.getRequestURI().getRawPath(),
                        http.getRequestURI().getRawQuery(), node, body);
                respond(http, answer == null ? 204 : 200, answer);
            } catch (NodeRequestRejectedException e) {
                refuse(http, target, 401, e.reason().code(), e.getMessage());
            } catch (ExchangeException e) {
                refuse(http, target, e.status() == 0 ? 500 : e.status(), e.code(), e.getMessage());
            } catch (RuntimeException e) {
                refuse(http, target, 500, "INTERNAL", e.toString());
            }
        }
    }

    private Object route(String method, String path, String query, VerifiedNode node, byte[] body)
            throws ExchangeException, IOException {
        Matcher inputs = INPUTS.matcher(path);
        if (method.equals("GET") && inputs.matches()) {
            var job = assigned(node, decode(inputs.group(1)), Integer.parseInt(param(query, "replica")),
                    Integer.parseInt(param(query, "attempt")), false);
            return store.inputs(null, job);
        }
        Matcher replica = REPLICA.matcher(path);
        if (!method.equals("POST") || !replica.matches()) {
            throw new ExchangeException("NOT_FOUND", 404, method + " " + path, null, null);
        }
        String jobId = decode(replica.group(1));
        int index = Integer.parseInt(replica.group(2));
        return switch (replica.group(3)) {
            case "outputs" -> {
                var request = json.readValue(body, Argument.of(OutputsRequest.class));
                yield store.declareOutputs(null, assigned(node, jobId, index, request.attempt(), false), request);
            }
            case "outputs/complete" -> {
                var request = json.readValue(body, Argument.of(CompleteRequest.class));
                yield store.complete(null, assigned(node, jobId, index, request.attempt(), false), request);
            }
            default -> {
                var request = json.readValue(body, Argument.of(ProgressRequest.class));
                store.progress(null, assigned(node, jobId, index, request.attempt(), true), request);
                yield null;
            }
        };
    }

    /** The gateway's ledger checks: the replica is the signing node's, at that attempt, and the job goes on. */
    private JobKey assigned(VerifiedNode node, String jobId, int index, int attempt, boolean endedIsFine)
            throws ExchangeException {
        var view = clientLedger.getJob("User1", jobId);
        var replica = view.replicas().stream().filter(r -> r.assignment().index() == index).findFirst()
                .orElseThrow(() -> new ExchangeException("REPLICA_NOT_FOUND", 404, "no replica " + index, null, null));
        if (!replica.assignment().nodeId().equals(node.nodeId())) {
            throw new ExchangeException("NOT_ASSIGNED", 403, "replica " + index + " is not " + node.nodeId() + "'s",
                    null, null);
        }
        if (replica.assignment().attempt() != attempt) {
            throw new ExchangeException("ATTEMPT_SUPERSEDED", 409, "attempt " + attempt, null, null);
        }
        if (!endedIsFine && view.job().status() != Job.Status.RUNNING) {
            throw new ExchangeException("JOB_ENDED", 409, "job is " + view.job().status(), null, null);
        }
        return new JobKey(jobId, index, attempt);
    }

    private void refuse(HttpExchange http, String target, int status, String code, String message) throws IOException {
        refusals.add(code + " " + target);
        respond(http, status, new ErrorBody(code, message, List.of()));
    }

    private void respond(HttpExchange http, int status, Object body) throws IOException {
        if (body == null) {
            http.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = json.writeValueAsBytes(body);
        http.getResponseHeaders().set("Content-Type", "application/json");
        http.sendResponseHeaders(status, bytes.length);
        http.getResponseBody().write(bytes);
    }

    private static String param(String query, String name) throws ExchangeException {
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new ExchangeException("INVALID_ARGUMENT", 400, "no " + name, null, null);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    /** A certificate is trusted for an MSP when it is one of that org's identities in the local consortium. */
    private static CertificateTrust consortiumTrust() {
        return (mspId, certificate, at) -> {
            if (!LocalConsortium.ORGS.contains(mspId)) {
                throw new NodeRequestRejectedException(NodeRequestRejectedException.Reason.MSP_UNKNOWN,
                        NodeExchange.HEADER_MSP, mspId + " is not a member");
            }
            for (var user : LocalConsortium.shared().org(mspId).users().values()) {
                try {
                    var known = NodeCertificates.parsePem(Files.readString(user.certificate()));
                    if (known.equals(certificate)) {
                        return;
                    }
                } catch (IOException | CertificateException e) {
                    throw new IllegalStateException("cannot read " + user.certificate(), e);
                }
            }
            throw new NodeRequestRejectedException(NodeRequestRejectedException.Reason.CERTIFICATE_UNTRUSTED,
                    NodeExchange.HEADER_CERTIFICATE, "not an identity of " + mspId);
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
