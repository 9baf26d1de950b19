package io.gridledger.gateway.api;

import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.http.sse.Event;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gridledger.gateway.api.ApiTestKit.ADMIN_TOKEN;
import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.getAs;
import static io.gridledger.gateway.api.ApiTestKit.job;
import static io.gridledger.gateway.api.ApiTestKit.postAs;
import static io.gridledger.gateway.testkit.Fixtures.commitment;
import static io.gridledger.gateway.testkit.Fixtures.fingerprint;
import static io.gridledger.gateway.testkit.Fixtures.id;
import static io.gridledger.gateway.testkit.Fixtures.offer;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static io.gridledger.gateway.testkit.Fixtures.salt;
import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs through the partner API of Org1's gateway over the real local consortium: submitted (202 + Location), followed
 * (get, list, Server-Sent Events as the providers commit, reveal and the job settles), its result read, retried
 * submissions kept idempotent, and partners kept apart even when they share a Fabric identity.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsApiIT implements TestPropertyProvider {

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
    private String readOnly;
    private Path dataDir;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        var properties = ApiTestKit.properties(Map.of());
        dataDir = Path.of(properties.get("gridledger.api.data-dir"));
        return properties;
    }

    @BeforeAll
    void partners() {
        // alice and bob are two partners of this gateway that both act as Org1's User1
        alice = ApiTestKit.partnerToken(client, "alice", "User1");
        bob = ApiTestKit.partnerToken(client, "bob", "User1");
        readOnly = ApiTestKit.partnerToken(client, "auditor", "User1", "jobs:read");
        var deposit = call(client, postAs("/api/v1/admin/deposits", Map.of("accountId", account(ORG1, "User1"), "amount", 1_000_000), ADMIN_TOKEN));
        assertThat(deposit.status()).isEqualTo(200);
    }

    @Test
    void a_submitted_job_is_accepted_with_its_location_and_its_events_stream_until_it_completes() {
        var labels = pool("api-lifecycle");
        publish(ledger("Org2MSP"), "api-lifecycle", 10, labels);
        publish(ledger("Org3MSP"), "api-lifecycle", 11, labels);
        var partnerEvents = SseReader.open(server.getPort(), "/api/v1/events", alice, null, json);

        var submitted = call(client, postAs("/api/v1/jobs", job(labels), alice));

        assertThat(submitted.status()).isEqualTo(202);
        var jobId = submitted.body().get("jobId").getStringValue();
        assertThat(submitted.header("Location")).isEqualTo("/api/v1/jobs/" + jobId);
        assertThat(submitted.body().get("status").getStringValue()).isEqualTo("QUEUED");
        var jobEvents = SseReader.open(server.getPort(), submitted.header("Location") + "/events", alice, null, json);
        await().atMost(Duration.ofSeconds(10)).until(() -> names(jobEvents.events()).contains("Snapshot"));

        var assignments = ledger(ORG1).matchJobs("User1", List.of(jobId), List.of()).value().assignments().stream()
                .sorted(Comparator.comparingInt(Assignment::replica)).toList();
        assertThat(assignments).hasSize(2);
        var following = call(client, getAs("/api/v1/jobs/" + jobId, alice));
        assertThat(following.body().get("job").get("status").getStringValue()).isEqualTo("RUNNING");
        assertThat(following.body().get("replicas").size()).isEqualTo(2);
        var digest = "d".repeat(64);
        long assignedAt = following.body().get("replicas").get(0).get("assignment").get("assignedAt").getLongValue();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > assignedAt + 1);
        for (var a : assignments) {
            ledger(a.nodeOrg()).commitResult("node1", jobId, a.replica(),
                    commitment(jobId, a.replica(), a.nodeId(), digest, salt(jobId + a.replica())));
        }
        for (var a : assignments) {
            ledger(a.nodeOrg()).revealResult("node1", jobId, a.replica(), fingerprint(jobId, digest), salt(jobId + a.replica()), 60);
        }
        ledger(ORG1).settleJob("User1", jobId);

        await().atMost(Duration.ofSeconds(20)).until(jobEvents::completed);
        assertThat(names(jobEvents.events())).containsSubsequence("Snapshot", "JobsMatched", "ResultCommitted",
                "ResultCommitted", "ResultRevealed", "ResultRevealed", "JobCompleted");
        assertThat(jobEvents.events().get(jobEvents.events().size() - 1).getData().status()).isEqualTo("COMPLETED");
        await().atMost(Duration.ofSeconds(20)).until(() -> partnerEvents.events().stream()
                .anyMatch(e -> e.getData().jobId().equals(jobId) && e.getData().event().equals("JobCompleted")));
        partnerEvents.close();

        var result = call(client, getAs("/api/v1/jobs/" + jobId + "/result", alice));
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("X-Result-Fingerprint")).isEqualTo(fingerprint(jobId, digest));
        assertThat(result.body().get("outcome").get("fingerprint").getStringValue()).isEqualTo(fingerprint(jobId, digest));
        var completed = call(client, getAs("/api/v1/jobs?status=COMPLETED&pageSize=200", alice));
        assertThat(ids(completed)).contains(jobId);
        var running = call(client, getAs("/api/v1/jobs?status=RUNNING&pageSize=200", alice));
        assertThat(ids(running)).doesNotContain(jobId);
    }

    @Test
    void a_retried_submission_returns_the_first_answer_even_after_the_gateway_lost_its_records_and_creates_no_second_job()
            throws Exception {
        var spec = job(pool("api-retry"));
        var first = call(client, postAs("/api/v1/jobs", spec, alice, "retry-1"));
        var retried = call(client, postAs("/api/v1/jobs", spec, alice, "retry-1"));

        assertThat(first.status()).isEqualTo(202);
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.raw()).isEqualTo(first.raw());
        assertThat(retried.header("Location")).isEqualTo(first.header("Location"));

        try (var records = Files.list(dataDir.resolve("idempotency"))) {
            for (var record : records.toList()) {
                Files.delete(record);   // as if the gateway had crashed before keeping the answer
            }
        }
        var afterRestart = call(client, postAs("/api/v1/jobs", spec, alice, "retry-1"));
        assertThat(afterRestart.status()).isEqualTo(202);
        assertThat(afterRestart.body().get("jobId")).isEqualTo(first.body().get("jobId"));

        var other = new HashMap<>(spec);
        other.put("maxUnitPrice", 21);
        var reused = call(client, postAs("/api/v1/jobs", other, alice, "retry-1"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        var jobId = first.body().get("jobId").getStringValue();
        assertThat(ids(call(client, getAs("/api/v1/jobs?pageSize=200", alice)))).filteredOn(jobId::equals).hasSize(1);
    }

    @Test
    void another_partner_sees_nothing_of_a_partners_jobs_even_on_the_same_fabric_identity() {
        var submitted = call(client, postAs("/api/v1/jobs", job(pool("api-private")), alice));
        var jobId = submitted.body().get("jobId").getStringValue();
        var location = submitted.header("Location");

        assertThat(call(client, getAs(location, bob)).status()).isEqualTo(404);
        assertThat(call(client, getAs(location, bob)).code()).isEqualTo("NOT_FOUND");
        assertThat(call(client, getAs(location + "/result", bob)).status()).isEqualTo(404);
        assertThat(call(client, getAs(location + "/events", bob)).status()).isEqualTo(404);
        assertThat(call(client, postAs(location + "/cancel", Map.of(), bob)).status()).isEqualTo(404);
        assertThat(ids(call(client, getAs("/api/v1/jobs?pageSize=200", bob)))).doesNotContain(jobId);
        // a job id of nobody's looks the same as another partner's
        assertThat(call(client, getAs("/api/v1/jobs/j-nosuchpartner-x", bob)).raw().replace("j-nosuchpartner-x", jobId))
                .isEqualTo(call(client, getAs(location, bob)).raw());
        assertThat(call(client, getAs(location, alice)).status()).isEqualTo(200);
        assertThat(call(client, postAs("/api/v1/jobs", job(pool("api-private")), readOnly)).status()).isEqualTo(403);
        assertThat(call(client, getAs(location, readOnly)).status()).isEqualTo(404);
    }

    @Test
    void the_partners_jobs_list_in_pages_a_cancelled_job_has_no_result_and_bad_cursors_are_refused() {
        var mine = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            mine.add(call(client, postAs("/api/v1/jobs", job(pool("api-pages")), bob)).body().get("jobId").getStringValue());
        }
        var seen = new ArrayList<String>();
        String cursor = null;
        int pages = 0;
        do {
            var page = call(client, getAs("/api/v1/jobs?pageSize=2" + (cursor == null ? "" : "&cursor=" + cursor), bob));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
            seen.addAll(ids(page));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").getStringValue();
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(seen).containsAll(mine).doesNotHaveDuplicates();
        assertThat(pages).isGreaterThanOrEqualTo(2);

        var cancelled = call(client, postAs("/api/v1/jobs/" + mine.get(0) + "/cancel", Map.of(), bob));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").getStringValue()).isEqualTo("CANCELLED");
        var result = call(client, getAs("/api/v1/jobs/" + mine.get(0) + "/result", bob));
        assertThat(result.status()).isEqualTo(409);
        assertThat(result.code()).isEqualTo("WRONG_STATE");

        var badCursor = call(client, getAs("/api/v1/jobs?cursor=not-a-cursor", bob));
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.fields()).containsExactly("cursor");
        var first = call(client, getAs("/api/v1/jobs?pageSize=1", bob)).body().get("nextCursor").getStringValue();
        var otherFilter = call(client, getAs("/api/v1/jobs?status=QUEUED&cursor=" + first, bob));
        assertThat(otherFilter.status()).isEqualTo(400);
        assertThat(otherFilter.fields()).containsExactly("cursor");
        for (var size : List.of("0", "201", "-1")) {
            var bad = call(client, getAs("/api/v1/jobs?pageSize=" + size, bob));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.fields()).as(bad.toString()).containsExactly("pageSize");
        }
        var badStatus = call(client, getAs("/api/v1/jobs?status=DONE", bob));
        assertThat(badStatus.status()).isEqualTo(400);
    }

    // --- fixtures ---

    private static List<String> names(List<Event<JobEvent>> events) {
        return events.stream().map(e -> e.getData().event()).toList();
    }

    private static List<String> ids(ApiTestKit.Answer page) {
        var ids = new ArrayList<String>();
        page.body().get("items").values().forEach(j -> ids.add(j.get("jobId").getStringValue()));
        return ids;
    }

    private static Ledger ledger(String mspId) {
        return TestLedgers.of(mspId);
    }

    private static void publish(Ledger ledger, String test, long price, Map<String, String> labels) {
        var mspId = ledger.whoAmI("node1").org();
        ledger.deposit("Admin", account(mspId, "node1"), 5_000);
        ledger.publishOffer("node1", offer(id("offer", test + "-" + mspId), price, 1, labels));
    }
}
