package io.gridledger.gateway.console;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway serves the admin console (the admin-console jar on its classpath) to anyone at /console/, answers its
 * index.html for the app's client-side routes, and still refuses anonymous calls to the API the console reads. No
 * ledger is needed: serving files and refusing the unauthenticated happen before any service is reached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleServingTest {

    private EmbeddedServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        var data = Files.createTempDirectory("gridledger-console-");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "gridledger.api.data-dir", data.toString(),
                "gridledger.api.auth.tokens-file", data.resolve("tokens.json").toString(),
                "gridledger.api.auth.bootstrap-admin-token", "bootstrap-admin-token-for-console-tests-0123456789",
                "gridledger.housekeeping.enabled", false,
                "gridledger.dispatch.enabled", false), "test");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void serves_the_single_page_app_at_console_to_anonymous_visitors() throws Exception {
        var index = get("/console/");

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(index.body()).contains("<div id=\"root\"></div>").contains("/console/assets/");
    }

    @Test
    void serves_the_apps_script_that_index_html_names() throws Exception {
        var script = Pattern.compile("src=\"(/console/assets/[^\"]+\\.js)\"").matcher(get("/console/").body());
        assertThat(script.find()).isTrue();

        var asset = get(script.group(1));

        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        assertThat(asset.body()).doesNotContain("<div id=\"root\">");
    }

    @Test
    void answers_index_html_for_a_deep_link_into_the_app() throws Exception {
        var index = get("/console/").body();

        for (var path : new String[]{"/console", "/console/jobs/x", "/console/jobs/j-abc.def", "/console/governance"}) {
            var page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).as(path).isEqualTo(index);
        }
    }

    @Test
    void answers_404_for_an_asset_the_app_does_not_have() throws Exception {
        assertThat(get("/console/assets/no-such-file.js").statusCode()).isEqualTo(404);
    }

    @Test
    void the_api_behind_the_console_still_refuses_anonymous_calls() throws Exception {
        for (var path : new String[]{"/api/v1/admin/tokens", "/api/v1/admin/accounts", "/api/v1/jobs", "/api/v1/nodes",
                "/api/v1/consortium/members"}) {
            var refused = get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(401);
            assertThat(refused.body()).as(path).contains("\"code\":\"UNAUTHENTICATED\"");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
