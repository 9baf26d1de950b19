package io.gridledger.gateway.api;

import io.gridledger.ledger.testkit.LocalConsortium;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import static io.gridledger.gateway.api.ApiTestKit.ADMIN_TOKEN;
import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.getAs;
import static io.gridledger.gateway.api.ApiTestKit.job;
import static io.gridledger.gateway.api.ApiTestKit.postAs;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

/** A gateway whose peer does not answer: 503 with Retry-After, and a retried POST is tried again, not replayed. */
class LedgerDownIT {

    @Test
    void an_unreachable_ledger_is_a_503_with_retry_after_and_a_retry_tries_again() throws Exception {
        LocalConsortium.shared();
        int deadPort;
        try (var socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        var properties = new HashMap<String, Object>(ApiTestKit.properties(Map.of(
                "gridledger.fabric.peer-endpoint", "127.0.0.1:" + deadPort,
                "gridledger.fabric.evaluate-timeout", "2s", "gridledger.fabric.endorse-timeout", "2s")));
        try (var server = ApplicationContext.run(EmbeddedServer.class, properties);
             var client = server.getApplicationContext().createBean(HttpClient.class, server.getURL())) {
            var partner = ApiTestKit.partnerToken(client, "offline", "User1");

            var read = call(client, getAs("/api/v1/account", partner));
            assertThat(read.status()).as(read.toString()).isEqualTo(503);
            assertThat(read.code()).isEqualTo("LEDGER_UNAVAILABLE");
            assertThat(read.header("Retry-After")).isNotBlank();
            assertThat(read.raw()).doesNotContain("Exception");

            var submit = call(client, postAs("/api/v1/jobs", job(pool("offline")), partner, "offline-1"));
            assertThat(submit.status()).as(submit.toString()).isEqualTo(503);
            assertThat(submit.header("Retry-After")).isNotBlank();
            var again = call(client, postAs("/api/v1/jobs", job(pool("offline")), partner, "offline-1"));
            assertThat(again.status()).isEqualTo(503);
            var deposit = call(client, postAs("/api/v1/admin/deposits",
                    Map.of("accountId", LocalConsortium.account("Org1MSP", "User1"), "amount", 1), ADMIN_TOKEN, "offline-2"));
            assertThat(deposit.status()).as(deposit.toString()).isEqualTo(503);
        }
    }
}
