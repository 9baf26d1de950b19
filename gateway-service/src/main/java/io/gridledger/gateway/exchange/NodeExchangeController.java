package io.gridledger.gateway.exchange;

import io.gridledger.exchange.CompleteRequest;
import io.gridledger.exchange.InputsResponse;
import io.gridledger.exchange.NodeRequestRejectedException;
import io.gridledger.exchange.NodeRequestVerifier;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.exchange.OutputsResponse;
import io.gridledger.exchange.ProgressRequest;
import io.gridledger.exchange.ReplicaResult;
import io.gridledger.exchange.VerifiedNode;
import io.gridledger.gateway.api.ApiError;
import io.gridledger.gateway.api.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.SerdeImport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * The node exchange over HTTP (gateway-service/NODE-EXCHANGE.md): every request is signed by a provider node's Fabric
 * identity, verified here ({@link NodeRequestVerifier}: headers, audience, timestamp, certificate against the channel
 * configuration, role, signature, nonce — 401 with a {@code NODE_…} code), then {@link NodeExchangeService} checks the
 * node's assignment on the ledger. No API token: the signature is the authentication.
 */
@Controller(io.gridledger.exchange.NodeExchange.BASE_PATH)
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(beans = NodeExchangeService.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "node exchange")
@SerdeImport(InputsResponse.class)
@SerdeImport(InputsResponse.InputGrant.class)
@SerdeImport(OutputsRequest.class)
@SerdeImport(OutputsRequest.OutputFile.class)
@SerdeImport(OutputsRequest.LogFile.class)
@SerdeImport(OutputsResponse.class)
@SerdeImport(OutputsResponse.UploadGrant.class)
@SerdeImport(CompleteRequest.class)
@SerdeImport(ProgressRequest.class)
@SerdeImport(ReplicaResult.class)
class NodeExchangeController {

    private static final Logger LOG = LoggerFactory.getLogger(NodeExchangeController.class);

    private final NodeRequestVerifier verifier;
    private final NodeExchangeService exchange;
    private final JsonMapper json;

    NodeExchangeController(NodeRequestVerifier verifier, NodeExchangeService exchange, JsonMapper json) {
        this.verifier = verifier;
        this.exchange = exchange;
        this.json = json;
    }

    @Get("/jobs/{jobId}/inputs")
    @Operation(summary = "A job's inputs for its assigned node", description = "Signed by the node (NODE-EXCHANGE.md); "
            + "presigned GET URLs of the inputs the job's spec on the ledger names.")
    InputsResponse inputs(@Parameter(hidden = true) HttpRequest<?> request, @PathVariable String jobId,
                          @QueryValue int replica, @QueryValue int attempt) {
        var node = verify(request, new byte[0]);
        return exchange.inputs(node, jobId, replica, attempt);
    }

    @Post("/jobs/{jobId}/replicas/{replica}/outputs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Declare a replica's outputs", description = "Checks the manifest against resultDigest, "
            + "stores it, and answers a presigned PUT per object not stored yet.")
    OutputsResponse outputs(@Parameter(hidden = true) HttpRequest<?> request, @PathVariable String jobId,
                            @PathVariable int replica, @Body @Nullable byte[] body) {
        return signed(request, body, OutputsRequest.class, (node, outputs) -> exchange.declareOutputs(node, jobId, replica, outputs));
    }

    @Post("/jobs/{jobId}/replicas/{replica}/outputs/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Complete a replica's outputs", description = "Reads back and checks every uploaded object, "
            + "promotes them and records the replica's result.")
    ReplicaResult complete(@Parameter(hidden = true) HttpRequest<?> request, @PathVariable String jobId,
                           @PathVariable int replica, @Body @Nullable byte[] body) {
        return signed(request, body, CompleteRequest.class, (node, complete) -> exchange.completeOutputs(node, jobId, replica, complete));
    }

    @Post("/jobs/{jobId}/replicas/{replica}/progress")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report a replica's progress", description = "202; changes nothing on the ledger.")
    HttpResponse<Void> progress(@Parameter(hidden = true) HttpRequest<?> request, @PathVariable String jobId,
                                @PathVariable int replica, @Body @Nullable byte[] body) {
        return signed(request, body, ProgressRequest.class, (node, step) -> {
            exchange.progress(node, jobId, replica, step);
            return HttpResponse.accepted();
        });
    }

    /** Verifies the signed request, then parses its body (a malformed body of a valid signer is a 400). */
    private <T, R> R signed(HttpRequest<?> request, @Nullable byte[] body, Class<T> type,
                            java.util.function.BiFunction<VerifiedNode, T, R> action) {
        var bytes = body == null ? new byte[0] : body;
        var node = verify(request, bytes);
        return action.apply(node, parse(bytes, type));
    }

    private VerifiedNode verify(HttpRequest<?> request, byte[] body) {
        var uri = request.getUri();
        var target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        try {
            return verifier.verify(request.getMethodName(), target, name -> request.getHeaders().getAll(name), body);
        } catch (NodeRequestRejectedException e) {
            LOG.debug("refused a node request {} {}: {} ({})", request.getMethodName(), target, e.reason().code(),
                    e.getMessage());
            throw new ApiException(HttpStatus.UNAUTHORIZED, new ApiError(e.reason().code(), e.getMessage(),
                    List.of(new ApiError.Detail(e.header(), e.getMessage()))), null);
        }
    }

    private <T> T parse(byte[] body, Class<T> type) {
        try {
            var value = json.readValue(body, Argument.of(type));
            if (value == null) {
                throw ApiException.invalid("body", "a JSON object is required");
            }
            return value;
        } catch (IOException e) {
            throw ApiException.invalid("body", "not a valid " + type.getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }
}
