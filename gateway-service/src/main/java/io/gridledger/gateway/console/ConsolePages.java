package io.gridledger.gateway.console;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The admin console's entry ({@code /console/}) and client-side routes ({@code /console/jobs/j-…}): each answers the single-page app's
 * {@code index.html}, so a deep link or a reload lands in the app, whose router shows the page. The app's files
 * themselves ({@code /console/assets/…}) are Micronaut static resources from the admin-console jar
 * ({@code micronaut.router.static-resources.console}); a route is matched before static resources, so this one leaves
 * {@code assets/} to them. Anonymous, like the files: the console holds no data, every call it makes to {@code /api/v1}
 * carries the admin's token and is authorized there.
 */
@Controller("/console")
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
class ConsolePages {

    static final String INDEX = "classpath:META-INF/resources/console/index.html";
    private final ResourceResolver resources;

    ConsolePages(ResourceResolver resources) {
        this.resources = resources;
    }

    /** {@code /console} and {@code /console/} (one route: Micronaut matches a path with or without its last slash). */
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<byte[]> root() {
        return page("");
    }

    @Get(uri = "/{path:(?!assets/).+}", produces = MediaType.TEXT_HTML)
    HttpResponse<byte[]> page(String path) {
        return index().map(bytes -> HttpResponse.ok(bytes).contentType(MediaType.TEXT_HTML_TYPE)
                        .header("Cache-Control", "no-cache"))
                .orElseGet(HttpResponse::notFound);
    }

    private Optional<byte[]> index() {
        return resources.getResource(INDEX).map(url -> {
            try (var in = url.openStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
