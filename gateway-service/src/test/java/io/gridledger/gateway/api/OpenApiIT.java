package io.gridledger.gateway.api;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.Router;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.gridledger.gateway.api.ApiTestKit.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the build generates from the controllers: served at its stable URL without authentication,
 * valid for a real OpenAPI parser, listing every route of the partner API; and the Swagger UI page over it.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    Router router;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        return ApiTestKit.properties(Map.of());
    }

    @Test
    void the_document_is_valid_openapi_and_lists_every_endpoint_of_the_partner_api() {
        var served = call(client, HttpRequest.GET("/api/v1/openapi.yml"));
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.header("Content-Type")).startsWith("application/yaml");

        var options = new ParseOptions();
        options.setResolve(true);
        var parsed = new OpenAPIParser().readContents(served.raw(), null, options);

        assertThat(parsed.getMessages()).isEmpty();
        var api = parsed.getOpenAPI();
        assertThat(api.getInfo().getTitle()).isEqualTo("GridLedger partner API");
        var documented = new TreeSet<String>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method.name() + " " + path)));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(routes())
                .contains("GET /api/v1/nodes", "GET /api/v1/jobs/{jobId}/replicas", "GET /api/v1/jobs/{jobId}/events");
        assertThat(api.getComponents().getSchemas()).containsKeys("Error", "JobSubmission", "JobEvent", "JobResult",
                "NodeView", "RunningReplica", "ReplicaStatus", "AgentStep");
        assertThat(api.getComponents().getSecuritySchemes()).containsKey("bearer");
        var submit = api.getPaths().get("/api/v1/jobs").getPost();
        assertThat(submit.getResponses()).containsKeys("202", "400", "409", "422");
        assertThat(submit.getParameters()).anyMatch(p -> p.getName().equals(IdempotentRequests.HEADER));
    }

    @Test
    void the_swagger_ui_page_is_served_over_the_document() {
        var docs = call(client, HttpRequest.GET("/api/v1/docs"));
        assertThat(docs.status()).isIn(200, 303);
        var page = call(client, HttpRequest.GET("/api/v1/docs/swagger-ui/index.html"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw()).contains("swagger-ui").contains("/api/v1/openapi.yml");
        assertThat(call(client, HttpRequest.GET("/api/v1/docs/swagger-ui/res/swagger-ui-bundle.js")).status()).isEqualTo(200);
    }

    /** {@code GET /api/v1/jobs/{jobId}}, … for every route under /api/v1 but the documentation's own. */
    private Set<String> routes() {
        return router.uriRoutes()
                .filter(r -> r.getUriMatchTemplate().toString().startsWith("/api/v1/"))
                .filter(r -> r.getHttpMethod() != HttpMethod.HEAD && r.getHttpMethod() != HttpMethod.OPTIONS)
                .map(r -> r.getHttpMethod().name() + " " + r.getUriMatchTemplate().toString().replaceAll("\\{\\?[^}]*}", "")
                        // a variable's pattern ({path:.+}, which may span segments) is not part of the documented path
                        .replaceAll("\\{([A-Za-z]+):[^}]*}", "{$1}"))
                .filter(r -> !r.endsWith("/openapi.yml") && !r.endsWith("/docs"))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
