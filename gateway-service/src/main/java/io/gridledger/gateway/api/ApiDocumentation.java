package io.gridledger.gateway.api;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The partner API's OpenAPI 3 document, generated from the controllers at compile time
 * ({@code META-INF/swagger/gridledger-api.yml}), served at the stable {@code /api/v1/openapi.yml}, and a Swagger UI
 * page over it at {@code /api/v1/docs}. Both are public: they describe the API, not anyone's data.
 */
@OpenAPIDefinition(
        info = @Info(title = "GridLedger partner API", version = "v1", description = "Submit and follow compute jobs on "
                + "the GridLedger consortium through your member org's gateway. Every POST needs an Idempotency-Key; "
                + "every failure answers the same error body."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API token (glt_…) or a JWT of the org's identity provider")
@Controller("/api/v1")
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
class ApiDocumentation {

    static final String SPEC = "classpath:META-INF/swagger/gridledger-api.yml";
    private final ResourceResolver resources;

    ApiDocumentation(ResourceResolver resources) {
        this.resources = resources;
    }

    @Get(uri = "/openapi.yml", produces = "application/yaml")
    HttpResponse<byte[]> openapi() {
        var url = resources.getResource(SPEC).orElseThrow(() -> ApiException.notFound("the OpenAPI document"));
        try (var in = url.openStream()) {
            return HttpResponse.ok(in.readAllBytes()).contentType(MediaType.of("application/yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = "/docs")
    HttpResponse<?> docs() {
        return HttpResponse.seeOther(URI.create("/api/v1/docs/swagger-ui/index.html"));
    }
}
