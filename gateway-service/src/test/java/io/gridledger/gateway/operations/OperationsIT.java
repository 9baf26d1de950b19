package io.gridledger.gateway.operations;

import io.gridledger.gateway.testkit.Fixtures;
import io.gridledger.gateway.testkit.GatewayContexts;
import io.gridledger.gateway.testkit.TestKafka;
import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;

import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gateway as a running server: health of the ledger, Kafka and dispatch, and its Prometheus metrics. */
class OperationsIT {

    @Test
    void health_reports_ledger_kafka_dispatch_and_the_embedded_object_store_and_prometheus_exposes_the_gateways_metrics() throws Exception {
        var properties = new LinkedHashMap<String, Object>(TestLedgers.gatewayProperties("Org1MSP"));
        properties.put("micronaut.server.port", -1);
        properties.put("kafka.bootstrap.servers", TestKafka.shared().bootstrapServers());
        properties.put("gridledger.dispatch.checkpoint-file", GatewayContexts.checkpointFile().toString());
        properties.put("gridledger.dispatch.assignments-topic", "ops.Org1MSP.assignments");
        properties.put("gridledger.dispatch.job-events-topic", "ops.Org1MSP.job-events");
        // The local stack's object store: the gateway starts its own embedded S3 server (s3proxy, filesystem backend).
        properties.put("gridledger.objects.embedded", true);
        properties.put("gridledger.objects.embedded-data-dir", java.nio.file.Files.createTempDirectory("ops-objects-").toString());
        try (var server = ApplicationContext.run(EmbeddedServer.class, properties, "test")) {
            var http = HttpClient.newHttpClient();
            var client = TestLedgers.of("Org1MSP");
            client.deposit("Admin", account("Org1MSP", "User1"), 100_000);
            var submitted = client.submitJob("User1", Fixtures.job(Fixtures.id("job", "ops"), 600, Fixtures.pool("ops-nowhere")));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> checkpointBlock(get(http, server, "/prometheus")) >= submitted.blockNumber());

            var health = get(http, server, "/health");
            assertThat(health).contains("\"status\":\"UP\"").contains("\"ledger\"").contains("\"kafka\"").contains("\"dispatch\"")
                    .contains("\"objects\"").contains("\"bucket\":\"gridledger\"")
                    .contains("\"parametersVersion\"").contains("\"checkpointBlock\"");
            var metrics = get(http, server, "/prometheus");
            assertThat(metrics).contains("gridledger_ledger_calls_seconds_count{outcome=\"ok\",transaction=\"GetParameters\"}")
                    .contains("gridledger_dispatch_checkpoint_block").contains("gridledger_housekeeping_watched_jobs")
                    .contains("gridledger_dispatch_lag_seconds_bucket");
        }
    }

    /** The dispatcher's checkpoint block, as the gauge reports it. */
    private static double checkpointBlock(String metrics) {
        var matcher = java.util.regex.Pattern.compile("(?m)^gridledger_dispatch_checkpoint_block ([0-9.E]+)").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    private static String get(HttpClient http, EmbeddedServer server, String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
