package io.gridledger.gateway.api;

import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.Verification;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.gridledger.gateway.api.ApiTestKit.ADMIN_TOKEN;
import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.getAs;
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
 * The admin console's endpoints on Org1's gateway over the real local consortium: after real jobs — one agreed, one
 * with a liar among three replicas (dissented, slashed), one whose replicas never committed (timed out, slashed), one
 * cancelled — the overview, series, alerts, offers, leaderboard, node record, proposals, the live stream and the
 * certifications show what the ledger did; a gateway restarted on the same data folder continues with the same figures;
 * partners, anonymous callers and bad query values are refused.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleApiIT implements TestPropertyProvider {

    private static final String ORG1 = "Org1MSP";
    private static final String TEST = "console";
    private static final String HONEST = "d".repeat(64);

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    EmbeddedServer server;

    private Map<String, String> properties;
    private String partner;
    private Map<String, String> labels;
    private final Map<String, String> offerOfOrg = new HashMap<>();
    private JsonNode before;
    private long stakesBefore;
    private String agreedJob;
    private String liarJob;
    private String lateJob;
    private String cancelledJob;
    private Assignment liar;
    private long liarSlashed;
    private int heldWhileRunning;
    private final List<String> streamed = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        properties = ApiTestKit.properties(Map.of("gridledger.insights.enabled", "true",
                "gridledger.insights.snapshot-interval", "200ms", "gridledger.api.sse.keep-alive", "1s"));
        return properties;
    }

    @BeforeAll
    void realJobs() throws Exception {
        partner = ApiTestKit.partnerToken(client, "console-partner", "User1");
        labels = pool(TEST);
        var org1 = ledger(ORG1);
        org1.deposit("Admin", account(ORG1, "User1"), 1_000_000);
        long lastBlock = 0;
        for (var mspId : LocalConsortium.ORGS) {
            var ledger = ledger(mspId);
            ledger.deposit("Admin", account(mspId, "node1"), 5_000);
            var offerId = id("offer", TEST + "-" + mspId);
            offerOfOrg.put(mspId, offerId);
            lastBlock = ledger.publishOffer("node1", offer(offerId, 10, 1, labels)).blockNumber();
        }
        before = caughtUp(lastBlock);
        stakesBefore = before.get("stakes").getLongValue();
        openStream();

        agreedJob = id("job", TEST + "-agreed");
        org1.submitJob("User1", job(agreedJob, 600, 2));
        var agreed = match(agreedJob, List.of());
        heldWhileRunning = await().atMost(Duration.ofSeconds(30)).until(() -> slotsInUse(agreed.get(0).offerId()), n -> n == 1);
        run(agreedJob, agreed, Map.of());
        org1.settleJob("User1", agreedJob);

        liarJob = id("job", TEST + "-liar");
        org1.submitJob("User1", job(liarJob, 600, 3));
        var three = match(liarJob, List.of(agreedJob));
        liar = three.get(2);
        run(liarJob, three, Map.of(liar.replica(), "e".repeat(64)));
        var settled = org1.settleJob("User1", liarJob).value();
        liarSlashed = settled.outcome().slashed().get(liar.nodeId());

        lateJob = id("job", TEST + "-late");
        org1.submitJob("User1", job(lateJob, 1, 2));
        match(lateJob, List.of(liarJob));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> expired(lateJob));
        if (!org1.getJob("User1", lateJob).job().isFinished()) {
            org1.cancelJob("User1", lateJob);
        }

        cancelledJob = id("job", TEST + "-cancelled");
        org1.submitJob("User1", job(cancelledJob, 600, 2));
        var last = org1.cancelJob("User1", cancelledJob);
        org1.releaseSlots("User1", List.of(agreedJob, liarJob, lateJob));
        caughtUp(last.blockNumber() + 1);
    }

    @Test
    @Order(1)
    void the_overview_counts_the_jobs_escrow_treasury_and_stakes_the_ledger_holds() {
        var after = overview(client);
        var jobs = after.get("jobsByStatus");
        var was = before.get("jobsByStatus");
        assertThat(jobs.get("COMPLETED").getLongValue() - was.get("COMPLETED").getLongValue()).isEqualTo(2);
        assertThat(jobs.get("CANCELLED").getLongValue() + jobs.get("FAILED").getLongValue()
                - was.get("CANCELLED").getLongValue() - was.get("FAILED").getLongValue()).isEqualTo(2);
        assertThat(after.get("escrow").getLongValue()).as("no job of ours holds escrow any more")
                .isEqualTo(before.get("escrow").getLongValue());
        assertThat(after.get("treasury").getLongValue()).isEqualTo(ledger(ORG1).getAccount("Admin", "treasury").balance())
                .isGreaterThan(before.get("treasury").getLongValue());
        long slashedOffers = LocalConsortium.ORGS.stream()
                .mapToLong(org -> LocalConsortium.MIN_STAKE - ledger(org).getOffer("node1", offerOfOrg.get(org)).stake()).sum();
        assertThat(slashedOffers).isGreaterThanOrEqualTo(liarSlashed + 2);
        assertThat(after.get("stakes").getLongValue()).isEqualTo(stakesBefore - slashedOffers);
        assertThat(after.get("nodesKnown").getLongValue()).as("paused by slashing, still known").isGreaterThanOrEqualTo(3);
        assertThat(after.get("nodesOnline").getLongValue()).isLessThanOrEqualTo(after.get("nodesKnown").getLongValue());
        assertThat(after.get("alertsLastHour").getLongValue() - before.get("alertsLastHour").getLongValue())
                .as("a dissent, slashings, timeouts").isGreaterThanOrEqualTo(4);
    }

    @Test
    void the_series_has_every_minute_and_the_jobs_that_ended_with_their_latency() {
        var series = call(client, getAs("/api/v1/admin/series?minutes=10", ADMIN_TOKEN));
        assertThat(series.status()).as("%s", series).isEqualTo(200);
        assertThat(series.body().get("bucketSeconds").getLongValue()).isEqualTo(60);
        var points = list(series.body().get("points"));
        assertThat(points).hasSize(10);
        assertThat(points).isSortedAccordingTo(Comparator.comparingLong(p -> p.get("t").getLongValue()));
        assertThat(points.get(9).get("t").getLongValue()).isBetween(Instant.now().getEpochSecond() / 60 * 60 - 60,
                Instant.now().getEpochSecond() / 60 * 60);
        assertThat(points.stream().mapToLong(p -> p.get("submitted").getLongValue()).sum()).isGreaterThanOrEqualTo(4);
        assertThat(points.stream().mapToLong(p -> p.get("completed").getLongValue()).sum()).isGreaterThanOrEqualTo(2);
        assertThat(points.stream().mapToLong(p -> p.get("cancelled").getLongValue() + p.get("failed").getLongValue()).sum())
                .isGreaterThanOrEqualTo(2);
        assertThat(points).anyMatch(p -> !p.get("latencyP50Seconds").isNull() && !p.get("latencyP95Seconds").isNull()
                && p.get("latencyP95Seconds").getDoubleValue() >= p.get("latencyP50Seconds").getDoubleValue());
        var one = call(client, getAs("/api/v1/admin/series?minutes=1", ADMIN_TOKEN));
        assertThat(one.body().get("points").size()).isEqualTo(1);
    }

    @Test
    void the_alerts_name_the_liar_its_slashing_and_the_late_replicas_newest_first_in_pages() {
        var all = new ArrayList<JsonNode>();
        String cursor = null;
        do {
            var page = call(client, getAs("/api/v1/admin/alerts?pageSize=2" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN_TOKEN));
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
            all.addAll(list(page.body().get("items")));
            var next = page.body().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.getStringValue();
        } while (cursor != null && all.size() < 400);
        assertThat(all.stream().map(a -> a.get("id").getStringValue()).toList()).doesNotHaveDuplicates();
        assertThat(all).isSortedAccordingTo(Comparator.comparingLong((JsonNode a) -> a.get("blockNumber").getLongValue()).reversed());

        var ours = all.stream().filter(a -> liarJob.equals(text(a, "jobId"))).toList();
        assertThat(ours).anyMatch(a -> a.get("kind").getStringValue().equals("DISAGREEMENT")
                && a.get("nodeId").getStringValue().equals(liar.nodeId()) && a.get("replica").getIntValue() == liar.replica()
                && a.get("org").getStringValue().equals(liar.nodeOrg()) && a.get("amount").isNull());
        assertThat(ours).anyMatch(a -> a.get("kind").getStringValue().equals("SLASHED")
                && a.get("amount").getLongValue() == liarSlashed && a.get("message").getStringValue().contains(liar.nodeId()));
        var late = all.stream().filter(a -> lateJob.equals(text(a, "jobId"))).toList();
        assertThat(late.stream().filter(a -> a.get("kind").getStringValue().equals("REPLICA_TIMED_OUT"))).hasSize(2);
        long lateSlashed = late.stream().filter(a -> a.get("kind").getStringValue().equals("SLASHED"))
                .mapToLong(a -> a.get("amount").getLongValue()).sum();
        assertThat(lateSlashed + liarSlashed).as("every credit the test's offers lost").isEqualTo(LocalConsortium.ORGS.stream()
                .mapToLong(org -> LocalConsortium.MIN_STAKE - ledger(org).getOffer("node1", offerOfOrg.get(org)).stake()).sum());
        assertThat(all).noneMatch(a -> agreedJob.equals(text(a, "jobId")));
    }

    @Test
    void the_offers_show_stakes_after_slashing_and_free_slots_filtered_and_sorted() {
        var liarOffer = offers("?node=" + enc(liar.nodeId()) + "&sort=-price");
        var row = list(liarOffer.get("items")).stream()
                .filter(o -> o.get("offerId").getStringValue().equals(liar.offerId())).findFirst().orElseThrow();
        assertThat(row.get("stake").getLongValue()).isEqualTo(ledger(ORG1).getOffer("Admin", liar.offerId()).stake())
                .isLessThan(LocalConsortium.MIN_STAKE);
        assertThat(row.get("slotsInUse").getIntValue()).as("released").isZero();
        assertThat(row.get("reputation").getDoubleValue()).isBetween(0.0, 1.0);
        assertThat(heldWhileRunning).as("held by a running replica").isEqualTo(1);

        var cheapestFirst = list(offers("?sort=price&pageSize=200").get("items"));
        assertThat(cheapestFirst).isSortedAccordingTo(Comparator.comparingLong(o -> o.get("unitPrice").getLongValue()));
        var byOrg = list(offers("?org=Org2MSP&pageSize=200").get("items"));
        assertThat(byOrg).isNotEmpty().allMatch(o -> o.get("org").getStringValue().equals("Org2MSP"));
        var one = offers("?pageSize=1");
        assertThat(one.get("items").size()).isEqualTo(1);
        var second = offers("?pageSize=1&cursor=" + one.get("nextCursor").getStringValue());
        assertThat(second.get("items").get(0).get("offerId").getStringValue())
                .isNotEqualTo(one.get("items").get(0).get("offerId").getStringValue());
        assertThat(list(offers("?status=WITHDRAWN&pageSize=200").get("items")))
                .allMatch(o -> o.get("status").getStringValue().equals("WITHDRAWN"));
    }

    @Test
    void the_leaderboard_and_a_nodes_record_show_verdicts_payments_slashing_and_reputation() {
        var nodes = call(client, getAs("/api/v1/admin/nodes", ADMIN_TOKEN));
        assertThat(nodes.status()).as("%s", nodes).isEqualTo(200);
        var rows = list(nodes.body());
        assertThat(rows).isSortedAccordingTo(Comparator.comparingDouble((JsonNode r) -> r.get("score").getDoubleValue()).reversed());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).get("rank").getIntValue()).isEqualTo(i + 1);
        }
        var liarRow = rows.stream().filter(r -> r.get("nodeId").getStringValue().equals(liar.nodeId())).findFirst().orElseThrow();
        assertThat(liarRow.get("dissented").getLongValue()).isGreaterThanOrEqualTo(1);
        assertThat(liarRow.get("slashed").getLongValue()).isGreaterThanOrEqualTo(liarSlashed);
        assertThat(liarRow.get("score").getDoubleValue())
                .isEqualTo(ledger(ORG1).getNodeReputation("Admin", liar.nodeId()).score() / 1000.0);
        assertThat(rows).anyMatch(r -> r.get("agreed").getLongValue() >= 1 && r.get("paid").getLongValue() > 0);
        boolean activeOffer = offers("?node=" + enc(liar.nodeId()) + "&status=ACTIVE").get("items").size() > 0;
        assertThat(liarRow.get("online").getBooleanValue()).as("online while it has an ACTIVE offer").isEqualTo(activeOffer);

        var detail = call(client, getAs("/api/v1/admin/nodes/" + enc(liar.nodeId()), ADMIN_TOKEN));
        assertThat(detail.status()).as("%s", detail).isEqualTo(200);
        assertThat(detail.body().get("node").get("nodeId").getStringValue()).isEqualTo(liar.nodeId());
        assertThat(list(detail.body().get("offers"))).anyMatch(o -> o.get("offerId").getStringValue().equals(liar.offerId()));
        assertThat(detail.body().get("trend").size()).isGreaterThanOrEqualTo(1);
        var history = list(detail.body().get("history"));
        assertThat(history).isSortedAccordingTo(Comparator.comparingLong((JsonNode h) -> h.get("blockNumber").getLongValue()).reversed());
        assertThat(history).anyMatch(h -> h.get("jobId").getStringValue().equals(liarJob)
                && h.get("verdict").getStringValue().equals("DISSENTED") && h.get("slashed").getLongValue() == liarSlashed);
        var raw = call(client, getAs("/api/v1/admin/nodes/" + liar.nodeId(), ADMIN_TOKEN));
        assertThat(raw.status()).as("the slash unencoded").isEqualTo(200);

        var unknown = call(client, getAs("/api/v1/admin/nodes/" + enc("Org9MSP/nobody"), ADMIN_TOKEN));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("NOT_FOUND");
    }

    @Test
    @Order(2)
    void a_proposal_shows_its_approvals_the_vote_it_needs_and_what_it_changes() {
        var org1 = ledger(ORG1);
        var current = org1.getParameters("Admin");
        var changed = new io.gridledger.ledger.Parameters(current.members(), null, current.feeBasisPoints() + 1,
                current.minStakePerSlot(), current.slashBasisPoints(), current.defaultReplicas(), current.defaultQuorum(),
                current.commitGraceSeconds(), current.revealWindowSeconds(), current.matchScanLimit(),
                current.clockToleranceSeconds(), current.reputationUnitCredits(), current.reputationCapPerOrg(), current.units());
        var proposalId = id("proposal", TEST);
        var proposed = org1.proposeParameters("Admin", proposalId, current.version(), Instant.now().getEpochSecond() + 3600, changed);
        caughtUp(proposed.blockNumber());

        var proposals = call(client, getAs("/api/v1/admin/proposals", ADMIN_TOKEN));
        assertThat(proposals.status()).as("%s", proposals).isEqualTo(200);
        var row = list(proposals.body()).stream().filter(p -> p.get("proposalId").getStringValue().equals(proposalId))
                .findFirst().orElseThrow();
        assertThat(row.get("status").getStringValue()).isEqualTo("OPEN");
        assertThat(row.get("proposedBy").getStringValue()).isEqualTo(ORG1);
        assertThat(list(row.get("approvals")).stream().map(JsonNode::getStringValue)).containsExactly(ORG1);
        assertThat(row.get("required").getIntValue()).isEqualTo(2);
        assertThat(list(row.get("members")).stream().map(JsonNode::getStringValue)).containsExactlyElementsOf(LocalConsortium.ORGS);
        var changes = list(row.get("changes"));
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).get("name").getStringValue()).isEqualTo("feeBasisPoints");
        assertThat(changes.get(0).get("from").getLongValue()).isEqualTo(current.feeBasisPoints());
        assertThat(changes.get(0).get("to").getLongValue()).isEqualTo(current.feeBasisPoints() + 1);
    }

    @Test
    @Order(2)
    void a_finished_job_is_certified_by_the_block_of_the_transaction_that_ended_it() {
        var settled = call(client, getAs("/api/v1/jobs/" + agreedJob + "/certification", ADMIN_TOKEN));
        assertThat(settled.status()).as("%s", settled).isEqualTo(200);
        var body = settled.body();
        assertThat(body.get("function").getStringValue()).isEqualTo("SettleJob");
        assertThat(body.get("validationCode").getStringValue()).isEqualTo("VALID");
        assertThat(ledger(ORG1).transactionStatus("Admin", body.get("txId").getStringValue())).isPresent();
        assertThat(body.get("blockNumber").getLongValue()).isPositive();
        assertThat(body.get("committedAt").getLongValue()).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(600L));
        var orgs = list(body.get("endorsingOrgs")).stream().map(JsonNode::getStringValue).toList();
        assertThat(orgs).isNotEmpty().isSubsetOf(LocalConsortium.ORGS).doesNotHaveDuplicates();
        assertThat(list(body.get("endorsers"))).allMatch(e -> orgs.contains(e.get("mspId").getStringValue())
                && e.get("subject").getStringValue().contains("CN="));

        var cancelled = call(client, getAs("/api/v1/jobs/" + cancelledJob + "/certification", ADMIN_TOKEN));
        assertThat(cancelled.body().get("function").getStringValue()).isEqualTo("CancelJob");

        var queued = id("job", TEST + "-queued-" + System.nanoTime());
        ledger(ORG1).submitJob("User1", job(queued, 600, 2));
        var notYet = call(client, getAs("/api/v1/jobs/" + queued + "/certification", ADMIN_TOKEN));
        assertThat(notYet.status()).isEqualTo(409);
        assertThat(notYet.code()).isEqualTo("JOB_NOT_FINISHED");
        ledger(ORG1).cancelJob("User1", queued);
        assertThat(call(client, getAs("/api/v1/jobs/" + agreedJob + "/certification", partner)).status())
                .as("a job of another partner").isEqualTo(404);
    }

    @Test
    void the_admin_stream_told_each_block_of_events_and_each_alert() {
        await().atMost(Duration.ofSeconds(10)).until(() -> streamed.stream().anyMatch(l -> l.contains("JobCompleted")));
        var blocks = streamed.stream().filter(l -> l.startsWith("data:") && l.contains("\"kinds\"")).toList();
        assertThat(blocks).anyMatch(l -> l.contains("JobSubmitted"));
        assertThat(streamed).contains("event:ledger").contains("event:alert");
        assertThat(streamed).anyMatch(l -> l.startsWith("data:") && l.contains("\"DISAGREEMENT\"") && l.contains(liarJob));
        var numbers = blocks.stream().map(l -> l.replaceAll(".*\"blockNumber\":(\\d+).*", "$1")).map(Long::parseLong).toList();
        assertThat(numbers).as("once per block").doesNotHaveDuplicates().isSorted();
    }

    @Test
    @Order(3)
    void a_restarted_gateway_continues_from_its_snapshot_with_the_same_figures() throws Exception {
        var restart = new HashMap<String, Object>(properties);
        restart.put("micronaut.server.port", "-1");
        restart.put("gridledger.api.data-dir", java.nio.file.Files.createTempDirectory("gridledger-console-restart-").toString());
        JsonNode first;
        JsonNode firstNodes;
        try (var gateway = ApplicationContext.run(EmbeddedServer.class, restart, "test");
             var http = gateway.getApplicationContext().createBean(HttpClient.class, gateway.getURL())) {
            first = await().atMost(Duration.ofSeconds(120)).until(() -> overview(http),
                    o -> o.get("asOfBlock").getLongValue() >= overview(client).get("asOfBlock").getLongValue());
            firstNodes = call(http, getAs("/api/v1/admin/nodes", ADMIN_TOKEN)).body();
        }
        // while it is down the ledger moves on
        var missed = id("job", TEST + "-while-down");
        ledger(ORG1).submitJob("User1", job(missed, 600, 2));
        var cancelled = ledger(ORG1).cancelJob("User1", missed);

        try (var gateway = ApplicationContext.run(EmbeddedServer.class, restart, "test");
             var http = gateway.getApplicationContext().createBean(HttpClient.class, gateway.getURL())) {
            assertThat(overview(http).get("asOfBlock").getLongValue()).as("restored, not replayed")
                    .isGreaterThanOrEqualTo(first.get("asOfBlock").getLongValue());
            var again = await().atMost(Duration.ofSeconds(30)).until(() -> overview(http),
                    o -> o.get("asOfBlock").getLongValue() >= cancelled.blockNumber());
            assertThat(again.get("jobsByStatus").get("CANCELLED").getLongValue())
                    .isEqualTo(first.get("jobsByStatus").get("CANCELLED").getLongValue() + 1);
            assertThat(again.get("jobsByStatus").get("COMPLETED")).isEqualTo(first.get("jobsByStatus").get("COMPLETED"));
            assertThat(again.get("treasury")).isEqualTo(first.get("treasury"));
            assertThat(again.get("stakes")).isEqualTo(first.get("stakes"));
            assertThat(call(http, getAs("/api/v1/admin/nodes", ADMIN_TOKEN)).body()).isEqualTo(firstNodes);
        }
    }

    @Test
    void partners_anonymous_callers_and_bad_values_are_refused() {
        for (var path : List.of("/api/v1/admin/overview", "/api/v1/admin/series", "/api/v1/admin/alerts",
                "/api/v1/admin/offers", "/api/v1/admin/nodes", "/api/v1/admin/nodes/" + enc(liar.nodeId()),
                "/api/v1/admin/proposals", "/api/v1/admin/events")) {
            var asPartner = call(client, getAs(path, partner));
            assertThat(asPartner.status()).as(path).isEqualTo(403);
            assertThat(asPartner.body().get("code").getStringValue()).isNotBlank();
            assertThat(call(client, HttpRequest.GET(path)).status()).as(path).isEqualTo(401);
        }
        assertInvalid("/api/v1/admin/series?minutes=0", "minutes");
        assertInvalid("/api/v1/admin/series?minutes=1441", "minutes");
        assertInvalid("/api/v1/admin/alerts?pageSize=0", "pageSize");
        assertInvalid("/api/v1/admin/alerts?cursor=x", "cursor");
        assertInvalid("/api/v1/admin/offers?pageSize=201", "pageSize");
        assertInvalid("/api/v1/admin/offers?sort=cost", "sort");
        assertInvalid("/api/v1/admin/offers?status=GONE", "status");
        assertInvalid("/api/v1/admin/offers?cursor=-1", "cursor");
    }

    // --- the jobs, as the clients' and providers' gateways would drive them ---

    private static JobSpec job(String jobId, long timeoutSeconds, int replicas) {
        var spec = io.gridledger.gateway.testkit.Fixtures.job(jobId, timeoutSeconds, pool(TEST));
        return new JobSpec(spec.jobId(), spec.image(), spec.command(), spec.env(), spec.inputs(), spec.resources(),
                spec.maxUnitPrice(), spec.timeoutSeconds(), Verification.replicated(replicas, 2), spec.minReputation(),
                spec.deadline());
    }

    /** Releases the ended jobs' slots, then matches (a transaction does not read its own writes: two transactions). */
    private static List<Assignment> match(String jobId, List<String> release) {
        if (!release.isEmpty()) {
            ledger(ORG1).releaseSlots("User1", release);
        }
        var report = ledger(ORG1).matchJobs("User1", List.of(jobId), List.of()).value();
        var assignments = report.assignments();
        assertThat(assignments).as("assignments of %s: %s", jobId, report.unmatched()).isNotNull().isNotEmpty();
        return assignments.stream().sorted(Comparator.comparingInt(Assignment::replica)).toList();
    }

    /** Each assigned node commits, then reveals the honest digest or its own. */
    private static void run(String jobId, List<Assignment> assignments, Map<Integer, String> lies) {
        long assignedAt = ledger(ORG1).getJob("User1", jobId).replicas().get(0).assignment().assignedAt();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > assignedAt + 1);
        for (var a : assignments) {
            var digest = lies.getOrDefault(a.replica(), HONEST);
            ledger(a.nodeOrg()).commitResult("node1", jobId, a.replica(),
                    commitment(jobId, a.replica(), a.nodeId(), digest, salt(jobId + a.replica())));
        }
        for (var a : assignments) {
            var digest = lies.getOrDefault(a.replica(), HONEST);
            ledger(a.nodeOrg()).revealResult("node1", jobId, a.replica(), fingerprint(jobId, digest), salt(jobId + a.replica()), 60);
        }
    }

    private static boolean expired(String jobId) {
        try {
            ledger(ORG1).expireJob("User1", jobId);
            return true;
        } catch (ContractRefusal refusal) {
            if (refusal.code() == ContractErrorCode.WRONG_STATE) {
                return false;
            }
            throw refusal;
        }
    }

    // --- reading the console API ---

    private JsonNode caughtUp(long block) {
        return await().atMost(Duration.ofSeconds(120)).until(() -> overview(client),
                o -> o.get("asOfBlock").getLongValue() >= block);
    }

    private static JsonNode overview(HttpClient http) {
        var answer = call(http, getAs("/api/v1/admin/overview", ADMIN_TOKEN));
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.body();
    }

    private int slotsInUse(String offerId) {
        return list(offers("?pageSize=200&status=ACTIVE").get("items")).stream()
                .filter(o -> o.get("offerId").getStringValue().equals(offerId))
                .mapToInt(o -> o.get("slotsInUse").getIntValue()).findFirst().orElse(-1);
    }

    private JsonNode offers(String query) {
        var answer = call(client, getAs("/api/v1/admin/offers" + query, ADMIN_TOKEN));
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.body();
    }

    private void assertInvalid(String path, String field) {
        var answer = call(client, getAs(path, ADMIN_TOKEN));
        assertThat(answer.status()).as("%s: %s", path, answer).isEqualTo(400);
        assertThat(answer.fields()).as(path).contains(field);
    }

    private void openStream() {
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + "/api/v1/admin/events"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Accept", "text/event-stream").build();
        java.net.http.HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> {
                    try (Stream<String> lines = response.body()) {
                        lines.forEach(l -> streamed.add(l.replace(": ", ":")));
                    }
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> streamed.stream().anyMatch(l -> l.startsWith(":")));
    }

    private static List<JsonNode> list(JsonNode array) {
        var items = new ArrayList<JsonNode>();
        array.values().forEach(items::add);
        return items;
    }

    private static String text(JsonNode node, String field) {
        var value = node.get(field);
        return value == null || value.isNull() ? null : value.getStringValue();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Ledger ledger(String mspId) {
        return TestLedgers.of(mspId);
    }
}
