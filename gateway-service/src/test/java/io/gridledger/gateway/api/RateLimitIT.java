package io.gridledger.gateway.api;

import io.gridledger.ledger.testkit.LocalConsortium;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static io.gridledger.gateway.api.ApiTestKit.ADMIN_TOKEN;
import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.getAs;
import static org.assertj.core.api.Assertions.assertThat;

/** Each partner's token bucket: a burst, then 429 with Retry-After, while other partners go on. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        return ApiTestKit.properties(Map.of("gridledger.api.rate-limit.burst", "3", "gridledger.api.rate-limit.per-second", "0.2"));
    }

    @Test
    void a_partner_past_its_burst_gets_429_with_retry_after_and_other_partners_are_not_held_up() {
        var partner = ApiTestKit.partnerToken(client, "busy", "User1");
        for (int i = 0; i < 3; i++) {
            assertThat(call(client, getAs("/api/v1/jobs", partner)).status()).isEqualTo(200);
        }
        var limited = call(client, getAs("/api/v1/jobs", partner));

        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 5L);
        assertThat(call(client, getAs("/api/v1/admin/tokens", ADMIN_TOKEN)).status()).isEqualTo(200);
    }
}
