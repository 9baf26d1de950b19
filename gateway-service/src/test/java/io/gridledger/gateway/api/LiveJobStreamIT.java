package io.gridledger.gateway.api;

import io.gridledger.gateway.agents.NodeProgressSink;
import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.Ledger;
import io.gridledger.gateway.testkit.AgentPublisher;
import io.gridledger.gateway.testkit.Fixtures;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.gateway.testkit.TestKafka;
import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.http.sse.Event;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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
 * A job's live stream on Org1's gateway with its agents' steps, over the real local consortium and the test broker:
 * Org1's own provider agent publishes its replica's steps to Org1's Kafka (a plain producer, as an agent would), the
 * replica of Org2's node reports through the node exchange's sink, the ledger's steps come from the chaincode events;
 * the owner sees them all in one order, without duplicates or regressions, resumes after a reconnect, and the admin
 * console reads the nodes' heartbeats and the replicas.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveJobStreamIT implements TestPropertyProvider {

    private static final String ORG1 = "Org1MSP";
    private static final String ORG2 = "Org2MSP";
    private static final String TOPICS = "live-" + Fixtures.RUN;

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    JsonMapper json;

    @Inject
    NodeProgressSink exchange;

    @Inject
    EmbeddedServer server;

    private AgentPublisher agent;
    private String alice;
    private String bob;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        var properties = new HashMap<>(ApiTestKit.properties(Map.of()));
        properties.put("kafka.bootstrap.servers", TestKafka.shared().bootstrapServers());
        properties.put("gridledger.agent-status.topic", TOPICS + ".agent-status");
        properties.put("gridledger.agent-status.node-topic", TOPICS + ".node-status");
        properties.put("gridledger.agent-status.group-id", TOPICS + "-gateway");
        properties.put("gridledger.api.sse.keep-alive", "300ms");
        return properties;
    }

    @BeforeAll
    void partnersAndAgent() {
        alice = ApiTestKit.partnerToken(client, "live-alice", "User1");
        bob = ApiTestKit.partnerToken(client, "live-bob", "User1");
        assertThat(call(client, postAs("/api/v1/admin/deposits", Map.of("accountId", account(ORG1, "User1"),
                "amount", 1_000_000), ADMIN_TOKEN)).status()).isEqualTo(200);
        agent = AgentPublisher.open(TestKafka.shared().bootstrapServers(), TOPICS + ".agent-status", TOPICS + ".node-status");
    }

    @AfterAll
    void closeAgent() {
        agent.close();
    }

    @Test
    void the_owner_sees_the_ledgers_steps_and_every_agents_steps_in_order_once_each() {
        var run = runningJob("live-order");
        var own = run.own();
        var other = run.other();
        var jobId = run.jobId();
        var stream = run.stream();
        long t0 = System.currentTimeMillis();

        agent.step(jobId, own.replica(), own.attempt(), own.nodeId(), "accepted", null, null, t0);
        awaitStep(stream, own, "accepted");
        exchange.report(jobId, other.replica(), other.attempt(), other.nodeId(), "accepted", null, Instant.ofEpochMilli(t0 + 1));
        agent.step(jobId, own.replica(), own.attempt(), own.nodeId(), "running", null, null, t0 + 20);
        agent.step(jobId, own.replica(), own.attempt(), own.nodeId(), "running", null, null, t0 + 20);   // redelivered
        agent.step(jobId, own.replica(), own.attempt(), own.nodeId(), "pulling", null, null, t0 + 10);   // late
        awaitStep(stream, own, "running");
        exchange.report(jobId, other.replica(), other.attempt(), other.nodeId(), "running", null, Instant.ofEpochMilli(t0 + 21));
        exchange.report(jobId, other.replica(), other.attempt(), other.nodeId(), "accepted", null, Instant.ofEpochMilli(t0 + 1)); // again
        agent.step(jobId, own.replica(), own.attempt(), own.nodeId(), "uploading", null, 0, t0 + 30);
        awaitStep(stream, own, "uploading");

        // A client that reconnects in the middle gets a fresh snapshot, each replica's latest step, and what follows.
        var runningId = stream.events().stream().filter(e -> "running".equals(e.getData().step())
                && e.getData().replica() == own.replica()).findFirst().orElseThrow().getId();
        var resumed = open("/api/v1/jobs/" + jobId + "/events", alice, runningId);
        await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events().size() >= 3);

        commitAndReveal(run, () -> {
            agent.step(jobId, own.replica(), own.attempt(), own.nodeId(), "committed", null, null, t0 + 40);
            awaitStep(stream, own, "committed");
            exchange.report(jobId, other.replica(), other.attempt(), other.nodeId(), "committed", null, Instant.ofEpochMilli(t0 + 41));
            awaitStep(stream, other, "committed");
            var replicas = call(client, getAs("/api/v1/jobs/" + jobId + "/replicas", alice));
            assertThat(replicas.status()).as(replicas.toString()).isEqualTo(200);
            var byReplica = new HashMap<Integer, JsonNode>();
            replicas.body().values().forEach(r -> byReplica.put(r.get("replica").getIntValue(), r));
            assertThat(byReplica.get(own.replica()).get("ledgerState").getStringValue()).isEqualTo("COMMITTED");
            assertThat(byReplica.get(own.replica()).get("agent").get("step").getStringValue()).isEqualTo("committed");
            assertThat(byReplica.get(own.replica()).get("agent").get("origin").getStringValue()).isEqualTo("kafka");
            assertThat(byReplica.get(other.replica()).get("agent").get("origin").getStringValue()).isEqualTo("exchange");
            assertThat(byReplica.get(other.replica()).get("nodeId").getStringValue()).isEqualTo(other.nodeId());
            assertThat(byReplica.get(own.replica()).get("nodeOrg").getStringValue()).isEqualTo(ORG1);
            assertThat(byReplica.get(own.replica()).get("committedAt").getLongValue()).isPositive();
            assertThat(byReplica.get(own.replica()).get("assignedAt").getLongValue()).isPositive();
        }, () -> {
            agent.step(jobId, own.replica(), own.attempt(), own.nodeId(), "revealed", null, null, t0 + 50);
            awaitStep(stream, own, "revealed");
            agent.step(jobId, own.replica(), own.attempt(), own.nodeId(), "running", null, null, t0 + 60); // after the end
            exchange.report(jobId, other.replica(), other.attempt(), other.nodeId(), "revealed", null, Instant.ofEpochMilli(t0 + 51));
            awaitStep(stream, other, "revealed");
        });

        await().atMost(Duration.ofSeconds(20)).until(stream::completed);
        assertThat(describe(stream.events())).containsExactly(
                "Snapshot", "JobsMatched",
                "AgentStep " + own.replica() + " accepted", "AgentStep " + other.replica() + " accepted",
                "AgentStep " + own.replica() + " running", "AgentStep " + other.replica() + " running",
                "AgentStep " + own.replica() + " uploading",
                "ResultCommitted", "ResultCommitted",
                "AgentStep " + own.replica() + " committed", "AgentStep " + other.replica() + " committed",
                "ResultRevealed", "ResultRevealed",
                "AgentStep " + own.replica() + " revealed", "AgentStep " + other.replica() + " revealed",
                "JobCompleted");

        await().atMost(Duration.ofSeconds(20)).until(resumed::completed);
        var again = describe(resumed.events());
        assertThat(again.subList(0, 3)).containsExactly("Snapshot", "AgentStep 0 " + (own.replica() == 0 ? "uploading" : "running"),
                "AgentStep 1 " + (own.replica() == 1 ? "uploading" : "running"));
        assertThat(again.subList(3, again.size())).containsExactlyElementsOf(
                describe(stream.events()).subList(7, stream.events().size()));
        assertThat(ids(resumed.events())).doesNotHaveDuplicates();

        // After the end, a reconnect gets the final snapshot alone: no terminal event again.
        var completedId = stream.events().get(stream.events().size() - 1).getId();
        var afterEnd = open("/api/v1/jobs/" + jobId + "/events", alice, completedId);
        await().atMost(Duration.ofSeconds(10)).until(afterEnd::completed);
        assertThat(describe(afterEnd.events())).containsExactly("Snapshot");
        assertThat(afterEnd.events().get(0).getData().status()).isEqualTo("COMPLETED");
    }

    @Test
    void a_failed_attempt_is_streamed_with_its_reason_and_an_earlier_step_never_follows_it() {
        var run = runningJob("live-failed");
        var own = run.own();
        long t0 = System.currentTimeMillis();
        agent.step(run.jobId(), own.replica(), own.attempt(), own.nodeId(), "running", null, null, t0);
        agent.step(run.jobId(), own.replica(), own.attempt(), own.nodeId(), "failed", "OOM", 137, t0 + 5);
        agent.step(run.jobId(), own.replica(), own.attempt(), own.nodeId(), "uploading", null, 0, t0 + 6);
        awaitStep(run.stream(), own, "failed");
        exchange.report(run.jobId(), run.other().replica(), run.other().attempt(), run.other().nodeId(), "running", null, Instant.ofEpochMilli(t0));
        awaitStep(run.stream(), run.other(), "running");

        var failed = run.stream().events().stream().filter(e -> "failed".equals(e.getData().step())).findFirst().orElseThrow();
        assertThat(failed.getData().reason()).isEqualTo("OOM");
        assertThat(failed.getData().exitCode()).isEqualTo(137);
        assertThat(failed.getData().nodeId()).isEqualTo(own.nodeId());
        assertThat(failed.getId()).isEqualTo("agent:" + run.jobId() + "#" + own.replica() + "#" + own.attempt() + ":failed:" + (t0 + 5));
        assertThat(describe(run.stream().events())).doesNotContain("AgentStep " + own.replica() + " uploading");
        run.stream().close();
    }

    @Test
    void another_partner_can_neither_stream_nor_read_the_replicas_of_a_job_that_is_not_theirs() {
        try (var bobsEvents = open("/api/v1/events", bob, null)) {
            var run = runningJob("live-foreign");
            var own = run.own();
            agent.step(run.jobId(), own.replica(), own.attempt(), own.nodeId(), "running", null, null, System.currentTimeMillis());
            awaitStep(run.stream(), own, "running");

            assertThat(call(client, getAs("/api/v1/jobs/" + run.jobId() + "/events", bob)).status()).isEqualTo(404);
            var foreign = call(client, getAs("/api/v1/jobs/" + run.jobId() + "/replicas", bob));
            assertThat(foreign.status()).isEqualTo(404);
            assertThat(foreign.code()).isEqualTo("NOT_FOUND");
            // the org admin reads the replicas of its org's partners' jobs (OrgAdminJobsIT: not another org's admin)
            assertThat(call(client, getAs("/api/v1/jobs/" + run.jobId() + "/replicas", ADMIN_TOKEN)).status()).isEqualTo(200);
            assertThat(call(client, getAs("/api/v1/jobs/" + run.jobId() + "/replicas", alice)).status()).isEqualTo(200);
            assertThat(bobsEvents.events()).noneMatch(e -> e.getData().jobId().equals(run.jobId()));

            // Partners see the node as market information; which jobs run on it, only the org admin.
            agent.heartbeat(own.nodeId(), null, "online", 1, 4, 60_000, System.currentTimeMillis());
            var dispatchKey = run.jobId() + "#" + own.replica() + "#" + own.attempt();
            var asAdmin = awaitNode(own.nodeId(), ADMIN_TOKEN, node -> dispatchKeys(node).contains(dispatchKey));
            assertThat(asAdmin.get("runningReplicas").values()).filteredOn(r -> r.get("dispatchKey").getStringValue().equals(dispatchKey))
                    .singleElement().satisfies(r -> assertThat(r.get("step").getStringValue()).isEqualTo("running"));
            var asPartner = awaitNode(own.nodeId(), bob, node -> true);
            var hidden = asPartner.get("runningReplicas");
            assertThat(hidden == null || hidden.isNull()).as(asPartner.toString()).isTrue();
            assertThat(asPartner.get("capacity").getIntValue()).isPositive();

            // Resuming with another partner's event id, or one made up, moves only where bob's own stream starts.
            var alicesEventId = run.stream().events().stream().filter(e -> run.jobId().equals(e.getData().jobId()))
                    .findFirst().orElseThrow().getId();
            try (var forged = open("/api/v1/events", bob, alicesEventId);
                 var madeUp = open("/api/v1/events", bob, "0:0:" + "f".repeat(64) + "/../" + "x".repeat(300))) {
                agent.step(run.jobId(), own.replica(), own.attempt(), own.nodeId(), "uploading", null, 0, System.currentTimeMillis());
                awaitStep(run.stream(), own, "uploading");
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                        forged.events().stream().noneMatch(e -> run.jobId().equals(e.getData().jobId()))
                                && madeUp.events().stream().noneMatch(e -> run.jobId().equals(e.getData().jobId()))
                                && bobsEvents.events().stream().noneMatch(e -> run.jobId().equals(e.getData().jobId())));
            }
            run.stream().close();
        }
    }

    @Test
    void heartbeats_make_a_node_online_with_its_offers_and_silence_makes_it_offline() {
        var offerId = id("offer", "live-node");
        TestLedgers.of(ORG1).deposit("Admin", account(ORG1, "node1"), 5_000);
        TestLedgers.of(ORG1).publishOffer("node1", offer(offerId, 10, 1, pool("live-node")));
        var nodeId = account(ORG1, "node1");
        long t0 = System.currentTimeMillis();

        agent.heartbeat(nodeId, offerId, "online", 1, 4, 300, t0);
        var online = awaitNode(nodeId, node -> node.get("online").getBooleanValue());
        assertThat(online.get("state").getStringValue()).isEqualTo("online");
        assertThat(online.get("runningJobs").getIntValue()).isEqualTo(1);
        assertThat(online.get("capacity").getIntValue()).isEqualTo(4);
        assertThat(online.get("resources").get("cpuMillis").getLongValue()).isEqualTo(8000);
        var offers = new ArrayList<String>();
        online.get("offers").values().forEach(o -> offers.add(o.get("offerId").getStringValue() + " " + o.get("status").getStringValue()));
        assertThat(offers).contains(offerId + " ACTIVE");

        awaitNode(nodeId, node -> !node.get("online").getBooleanValue()
                && node.get("state").getStringValue().equals("offline"));

        agent.heartbeat(nodeId, offerId, "paused", 0, 4, 60_000, t0 + 2_000);
        awaitNode(nodeId, node -> node.get("state").getStringValue().equals("paused") && node.get("online").getBooleanValue());
        agent.heartbeat(nodeId, offerId, "online", 3, 4, 60_000, t0 + 1_000);      // older, arriving late
        var marker = account(ORG1, "marker-" + Fixtures.RUN);
        agent.heartbeat(marker, null, "online", 0, 1, 60_000, t0);                  // read after the late one
        awaitNode(marker, node -> node.get("online").getBooleanValue());
        var afterLate = awaitNode(nodeId, node -> true);
        assertThat(afterLate.get("state").getStringValue()).isEqualTo("paused");
        assertThat(afterLate.get("runningJobs").getIntValue()).isZero();
        agent.heartbeat(nodeId, offerId, "offline", 0, 4, 60_000, t0 + 3_000);     // stopped cleanly
        var stopped = awaitNode(nodeId, node -> !node.get("online").getBooleanValue());
        assertThat(stopped.get("runningJobs").getIntValue()).isZero();
        assertThat(stopped.get("heartbeatAt").getLongValue()).isEqualTo(t0 + 3_000);

        var partner = call(client, getAs("/api/v1/nodes", ApiTestKit.partnerToken(client, "live-jobs-only", "User1", "jobs:read")));
        assertThat(partner.status()).isEqualTo(403);
    }

    @Test
    void an_idle_stream_gets_keep_alive_comments() {
        try (var stream = open("/api/v1/events", alice, null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments() >= 2 || stream.completed());
            assertThat(stream.error()).isNull();
            assertThat(stream.completed()).isFalse();
            assertThat(stream.events()).isEmpty();
        }
    }

    // --- fixtures ---

    private record Run(String jobId, Assignment own, Assignment other, SseReader stream) {
    }

    /** A job of alice's matched onto Org1's node1 (its own agent) and Org2's node1, its stream open and matched. */
    private Run runningJob(String test) {
        var labels = pool(test);
        for (var org : List.of(ORG1, ORG2)) {
            var ledger = TestLedgers.of(org);
            ledger.deposit("Admin", account(org, "node1"), 5_000);
            ledger.publishOffer("node1", offer(id("offer", test + "-" + org), org.equals(ORG1) ? 10 : 11, 1, labels));
        }
        var submitted = call(client, postAs("/api/v1/jobs", job(labels), alice));
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        var jobId = submitted.body().get("jobId").getStringValue();
        var stream = open("/api/v1/jobs/" + jobId + "/events", alice, null);
        awaitEvent(stream, "Snapshot", Duration.ofSeconds(30));
        var assignments = TestLedgers.of(ORG1).matchJobs("User1", List.of(jobId), List.of()).value().assignments();
        assertThat(assignments).hasSize(2);
        awaitEvent(stream, "JobsMatched", Duration.ofSeconds(30));
        var own = assignments.stream().filter(a -> a.nodeOrg().equals(ORG1)).findFirst().orElseThrow();
        var other = assignments.stream().filter(a -> a.nodeOrg().equals(ORG2)).findFirst().orElseThrow();
        return new Run(jobId, own, other, stream);
    }

    /** Both providers commit (then {@code afterCommits}), reveal (then {@code afterReveals}), and the client settles. */
    private void commitAndReveal(Run run, Runnable afterCommits, Runnable afterReveals) {
        var digest = "e".repeat(64);
        var jobId = run.jobId();
        var view = TestLedgers.of(ORG1).getJob("User1", jobId);
        long assignedAt = view.replicas().get(0).assignment().assignedAt();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > assignedAt + 1);
        for (var a : List.of(run.own(), run.other())) {
            ledger(a.nodeOrg()).commitResult("node1", jobId, a.replica(),
                    commitment(jobId, a.replica(), a.nodeId(), digest, salt(jobId + a.replica())));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> count(run.stream(), "ResultCommitted") == 2);
        afterCommits.run();
        for (var a : List.of(run.own(), run.other())) {
            ledger(a.nodeOrg()).revealResult("node1", jobId, a.replica(), fingerprint(jobId, digest), salt(jobId + a.replica()), 60);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> count(run.stream(), "ResultRevealed") == 2);
        afterReveals.run();
        ledger(ORG1).settleJob("User1", jobId);
    }

    private JsonNode awaitNode(String nodeId, Predicate<JsonNode> condition) {
        return awaitNode(nodeId, ADMIN_TOKEN, condition);
    }

    /** The node as {@code token}'s bearer reads it in {@code GET /api/v1/nodes}, once {@code condition} holds. */
    private JsonNode awaitNode(String nodeId, String token, Predicate<JsonNode> condition) {
        var found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var nodes = call(client, getAs("/api/v1/nodes", token));
            assertThat(nodes.status()).as(nodes.toString()).isEqualTo(200);
            for (var node : nodes.body().values()) {
                if (node.get("nodeId").getStringValue().equals(nodeId) && condition.test(node)) {
                    found[0] = node;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static List<String> dispatchKeys(JsonNode node) {
        var keys = new ArrayList<String>();
        var running = node.get("runningReplicas");
        if (running != null) {
            running.values().forEach(r -> keys.add(r.get("dispatchKey").getStringValue()));
        }
        return keys;
    }

    private static void awaitStep(SseReader stream, Assignment replica, String step) {
        awaitEvent(stream, "AgentStep " + replica.replica() + " " + step, Duration.ofSeconds(15));
    }

    /** Waits for an event on the stream; on a timeout, says what the stream had and whether it had ended. */
    private static void awaitEvent(SseReader stream, String described, Duration atMost) {
        try {
            await().atMost(atMost).until(() -> describe(stream.events()).contains(described));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no " + described + " within " + atMost + "; the stream had "
                    + describe(stream.events()) + (stream.completed() ? " and ended: " + stream.error() : ""), e);
        }
    }

    private static long count(SseReader stream, String name) {
        return describe(stream.events()).stream().filter(name::equals).count();
    }

    private SseReader open(String path, String token, String lastEventId) {
        return SseReader.open(server.getPort(), path, token, lastEventId, json);
    }

    private static List<String> describe(List<Event<JobEvent>> events) {
        return events.stream().map(e -> JobEvent.AGENT_STEP.equals(e.getData().event())
                ? e.getData().event() + " " + e.getData().replica() + " " + e.getData().step() : e.getData().event()).toList();
    }

    private static List<String> ids(List<Event<JobEvent>> events) {
        return events.stream().map(Event::getId).filter(java.util.Objects::nonNull).toList();
    }

    private static Ledger ledger(String mspId) {
        return TestLedgers.of(mspId);
    }
}
