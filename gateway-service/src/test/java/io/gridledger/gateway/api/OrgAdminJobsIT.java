package io.gridledger.gateway.api;

import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.sse.Event;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gridledger.gateway.api.ApiTestKit.ADMIN_TOKEN;
import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.getAs;
import static io.gridledger.gateway.api.ApiTestKit.job;
import static io.gridledger.gateway.api.ApiTestKit.postAs;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The org admin's view of its partners' jobs, through Org1's gateway over the real local consortium (and Org2's
 * gateway beside it): the admin lists, reads and follows every job of an Org1 client — not only its own — while a
 * partner still sees only its own and another org's admin sees none of them.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrgAdminJobsIT implements TestPropertyProvider {

    private static final String ORG1 = "Org1MSP";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    JsonMapper json;

    @Inject
    EmbeddedServer server;

    private String alice;
    private String bob;
    private EmbeddedServer org2;
    private HttpClient org2Client;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        return ApiTestKit.properties(Map.of());
    }

    @BeforeAll
    void partnersAndOrg2Gateway() {
        alice = ApiTestKit.partnerToken(client, "alice-of-admin-view", "User1");
        bob = ApiTestKit.partnerToken(client, "bob-of-admin-view", "User1");
        var deposit = call(client, postAs("/api/v1/admin/deposits", Map.of("accountId", account(ORG1, "User1"), "amount", 1_000_000), ADMIN_TOKEN));
        assertThat(deposit.status()).isEqualTo(200);
        // Org2's gateway: the same settings on Org2's peer and identities, its own data folder and admin token file
        var properties = new HashMap<String, Object>(ApiTestKit.properties(Map.of()));
        properties.putAll(TestLedgers.gatewayProperties("Org2MSP"));
        properties.put("micronaut.server.port", "-1");
        org2 = ApplicationContext.run(EmbeddedServer.class, properties, "test");
        org2Client = org2.getApplicationContext().createBean(HttpClient.class, org2.getURL());
    }

    @AfterAll
    void stopOrg2() {
        if (org2Client != null) {
            org2Client.close();
        }
        if (org2 != null) {
            org2.close();
        }
    }

    @Test
    void the_org_admin_reads_a_partners_job_that_another_partner_and_another_orgs_admin_do_not_see() {
        var jobId = submitAsAlice();

        var asAdmin = call(client, getAs("/api/v1/jobs/" + jobId, ADMIN_TOKEN));
        assertThat(asAdmin.status()).as("%s", asAdmin).isEqualTo(200);
        assertThat(asAdmin.body().get("job").get("clientId").getStringValue()).isEqualTo(account(ORG1, "User1"));
        assertThat(call(client, getAs("/api/v1/jobs/" + jobId + "/replicas", ADMIN_TOKEN)).status()).isEqualTo(200);
        var result = call(client, getAs("/api/v1/jobs/" + jobId + "/result", ADMIN_TOKEN));
        assertThat(result.status()).as("a result of a visible job not yet completed").isEqualTo(409);
        assertThat(result.code()).isEqualTo("WRONG_STATE");
        assertThat(allIds(client, "", ADMIN_TOKEN)).contains(jobId);
        assertThat(allIds(client, "QUEUED", ADMIN_TOKEN)).contains(jobId);
        assertThat(allIds(client, "COMPLETED", ADMIN_TOKEN)).doesNotContain(jobId);
        var events = SseReader.open(server.getPort(), "/api/v1/jobs/" + jobId + "/events", ADMIN_TOKEN, null, json);
        await().atMost(Duration.ofSeconds(10)).until(() -> names(events.events()).contains("Snapshot"));
        events.close();

        assertThat(call(client, getAs("/api/v1/jobs/" + jobId, bob)).status()).as("another partner").isEqualTo(404);
        assertThat(call(client, getAs("/api/v1/jobs/" + jobId + "/replicas", bob)).status()).isEqualTo(404);
        assertThat(allIds(client, "", bob)).doesNotContain(jobId);

        assertThat(call(org2Client, getAs("/api/v1/jobs/" + jobId, ADMIN_TOKEN)).status()).as("Org2's admin").isEqualTo(404);
        assertThat(call(org2Client, getAs("/api/v1/jobs/" + jobId + "/replicas", ADMIN_TOKEN)).status()).isEqualTo(404);
        assertThat(call(org2Client, getAs("/api/v1/jobs/" + jobId + "/result", ADMIN_TOKEN)).status()).isEqualTo(404);
        assertThat(allIds(org2Client, "", ADMIN_TOKEN)).doesNotContain(jobId);
        assertThat(allIds(org2Client, "QUEUED", ADMIN_TOKEN)).doesNotContain(jobId);

        var adminCancel = call(client, postAs("/api/v1/jobs/" + jobId + "/cancel", Map.of(), ADMIN_TOKEN));
        assertThat(adminCancel.status()).as("the admin reads the org's jobs but cancels only its own").isEqualTo(404);
        assertThat(call(client, postAs("/api/v1/jobs/" + jobId + "/cancel", Map.of(), alice)).status()).isEqualTo(200);
        assertThat(allIds(client, "CANCELLED", ADMIN_TOKEN)).contains(jobId);
    }

    @Test
    void the_org_admin_pages_through_the_orgs_jobs_one_at_a_time_without_repeats() {
        var submitted = List.of(submitAsAlice(), submitAsAlice(), submitAsAlice());

        var seen = new ArrayList<String>();
        String cursor = null;
        do {
            var page = call(client, getAs("/api/v1/jobs?pageSize=1" + (cursor == null ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), ADMIN_TOKEN));
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().get("items").values().forEach(j -> seen.add(j.get("jobId").getStringValue()));
            var next = page.body().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.getStringValue();
        } while (cursor != null);

        assertThat(seen).doesNotHaveDuplicates().containsAll(submitted);
        var cursorOfAnotherListing = call(client, getAs("/api/v1/jobs?pageSize=1", alice)).body().get("nextCursor");
        if (cursorOfAnotherListing != null && !cursorOfAnotherListing.isNull()) {
            var mixed = call(client, getAs("/api/v1/jobs?cursor=" + cursorOfAnotherListing.getStringValue(), ADMIN_TOKEN));
            assertThat(mixed.status()).as("a partner's cursor is not the admin's listing's").isEqualTo(400);
        }
        for (var jobId : submitted) {
            assertThat(call(client, postAs("/api/v1/jobs/" + jobId + "/cancel", Map.of(), alice)).status()).isEqualTo(200);
        }
    }

    // --- fixtures ---

    /** A job of alice's that no offer matches (a pool of its own): it stays QUEUED until cancelled. */
    private String submitAsAlice() {
        var submitted = call(client, postAs("/api/v1/jobs", job(pool("admin-view")), alice));
        assertThat(submitted.status()).as("%s", submitted).isEqualTo(202);
        return submitted.body().get("jobId").getStringValue();
    }

    /** Every job id of a listing, following its cursors. */
    private static List<String> allIds(HttpClient client, String status, String token) {
        var ids = new ArrayList<String>();
        String cursor = null;
        do {
            var page = call(client, getAs("/api/v1/jobs?pageSize=200" + (status.isEmpty() ? "" : "&status=" + status)
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), token));
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.body().get("items").values().forEach(j -> ids.add(j.get("jobId").getStringValue()));
            var next = page.body().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.getStringValue();
        } while (cursor != null);
        return ids;
    }

    private static List<String> names(List<Event<JobEvent>> events) {
        return events.stream().map(e -> e.getData().event()).toList();
    }
}
