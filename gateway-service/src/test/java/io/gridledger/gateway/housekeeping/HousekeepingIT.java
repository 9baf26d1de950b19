package io.gridledger.gateway.housekeeping;

import io.gridledger.gateway.dispatch.EventDispatcher;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.Ledger;
import io.gridledger.gateway.testkit.GatewayContexts;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;
import io.gridledger.gateway.testkit.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.gridledger.gateway.testkit.Fixtures.commitment;
import static io.gridledger.gateway.testkit.Fixtures.fingerprint;
import static io.gridledger.gateway.testkit.Fixtures.id;
import static io.gridledger.gateway.testkit.Fixtures.job;
import static io.gridledger.gateway.testkit.Fixtures.offer;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static io.gridledger.gateway.testkit.Fixtures.salt;
import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three orgs' gateway services (started Micronaut contexts: ledger, dispatcher, housekeeping) over the real local
 * consortium and the embedded broker, with no mocked ledger. The test plays the client (a job submitted through the
 * facade as Org1's User1) and the provider agents (node1 of Org2 and Org3, reading their org's topic and committing
 * and revealing with their own identities); everything else is the gateways' doing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HousekeepingIT {

    private static final String ORG1 = "Org1MSP";
    private static final String ORG2 = "Org2MSP";
    private static final String ORG3 = "Org3MSP";
    /** Each gateway drives its own clients' jobs; the others would step in only after this. */
    private static final Map<String, Object> GATEWAY = Map.of("gridledger.housekeeping.foreign-delay", "120s",
            "gridledger.housekeeping.retry-delay", "500ms");

    private final Map<String, ApplicationContext> gateways = new HashMap<>();
    private final Map<String, Path> checkpoints = new HashMap<>();
    private Ledger client;

    @BeforeAll
    void start() {
        LocalConsortium.shared();
        client = TestLedgers.of(ORG1);
        client.deposit("Admin", account(ORG1, "User1"), 1_000_000);
        for (var org : List.of(ORG1, ORG2, ORG3)) {
            checkpoints.put(org, GatewayContexts.checkpointFile());
            gateways.put(org, GatewayContexts.start(org, "hk", checkpoints.get(org), GATEWAY));
        }
    }

    @AfterAll
    void stop() {
        gateways.values().forEach(ApplicationContext::close);
    }

    @Test
    void a_submitted_job_is_matched_its_assignments_reach_the_nodes_topics_and_it_is_settled_once_both_revealed() {
        var labels = pool("hk-settle");
        offers("hk-settle", labels, 1);
        var jobId = id("job", "hk-settle");
        var assignments = new HashMap<String, TopicReader.Message>();
        try (var org2 = TopicReader.open(GatewayContexts.assignmentsTopic("hk", ORG2));
             var org3 = TopicReader.open(GatewayContexts.assignmentsTopic("hk", ORG3))) {
            client.submitJob("User1", job(jobId, 600, labels));

            assignments.put(ORG2, assignment(org2, jobId));
            assignments.put(ORG3, assignment(org3, jobId));
        }
        assertThat(assignments.get(ORG2).key()).isEqualTo(account(ORG2, "node1"));
        assertThat(assignments.get(ORG3).key()).isEqualTo(account(ORG3, "node1"));
        assertThat(assignments.values()).extracting(m -> m.text("replica")).containsExactlyInAnyOrder("0", "1");
        assertThat(client.getJob("User1", jobId).job().status()).isEqualTo(Job.Status.RUNNING);

        // the provider agents: commit, then reveal, each with its own node identity
        var assignedAt = client.getJob("User1", jobId).replicas().get(0).assignment().assignedAt();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > assignedAt + 1);
        var digest = "d".repeat(64);
        assignments.forEach((org, a) -> TestLedgers.of(org).commitResult("node1", jobId, replica(a),
                commitment(jobId, replica(a), a.key(), digest, salt(jobId + replica(a)))));
        assignments.forEach((org, a) -> TestLedgers.of(org).revealResult("node1", jobId, replica(a),
                fingerprint(jobId, digest), salt(jobId + replica(a)), 100));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.getJob("User1", jobId).job().status() == Job.Status.COMPLETED);
        assertThat(client.getJob("User1", jobId).job().outcome().fingerprint()).isEqualTo(fingerprint(jobId, digest));
        assertThat(actions(ORG1, "SettleJob", "done")).isGreaterThanOrEqualTo(1);

        // its slots went back to the market: the same single-slot offers take the next job
        var next = id("job", "hk-settle-next");
        client.submitJob("User1", job(next, 600, labels));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.getJob("User1", next).job().status() == Job.Status.RUNNING);
    }

    @Test
    void the_sweeper_expires_a_job_whose_providers_never_commit() {
        var labels = pool("hk-expire");
        offers("hk-expire", labels, 1);
        var jobId = id("job", "hk-expire");
        // one second of work plus the consortium's 4 s commit grace: the commit deadline passes within seconds
        client.submitJob("User1", job(jobId, 1, labels));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.getJob("User1", jobId).job().status() == Job.Status.RUNNING);

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                .until(() -> client.getJob("User1", jobId).job().isFinished());
        var view = client.getJob("User1", jobId);
        assertThat(view.job().status()).isEqualTo(Job.Status.FAILED);
        assertThat(view.job().outcome().reason()).startsWith("NOT_ENOUGH_PROVIDERS");
        assertThat(view.replicas()).allSatisfy(r -> assertThat(r.assignment().status()).isEqualTo(
                io.gridledger.ledger.Replica.Status.TIMED_OUT));
        assertThat(actions(ORG1, "ExpireJob", "done")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a_dispatcher_restarted_mid_stream_loses_and_repeats_no_assignment() {
        var labels = pool("hk-restart");
        offers("hk-restart", labels, 4);
        var topic = GatewayContexts.assignmentsTopic("hk", ORG2);
        var before = id("job", "hk-restart-a");
        var during = List.of(id("job", "hk-restart-b"), id("job", "hk-restart-c"));
        try (var reader = TopicReader.open(topic)) {
            client.submitJob("User1", job(before, 600, labels));
            assignment(reader, before);

            gateways.remove(ORG2).close();
            assertThat(gateways).doesNotContainKey(ORG2);
            for (var jobId : during) {
                client.submitJob("User1", job(jobId, 600, labels));
            }
            for (var jobId : during) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> client.getJob("User1", jobId).job().status() == Job.Status.RUNNING);
            }
            gateways.put(ORG2, GatewayContexts.start(ORG2, "hk", checkpoints.get(ORG2), GATEWAY));
            during.forEach(jobId -> assignment(reader, jobId));

            var records = reader.drain(Duration.ofSeconds(1)).stream().filter(r -> r.jobId().contains("hk-restart")).toList();
            var perKey = records.stream().collect(Collectors.groupingBy(r -> r.text("dispatchKey"), Collectors.counting()));
            assertThat(perKey).hasSize(3);
            assertThat(perKey.values()).containsOnly(1L);
            assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(account(ORG2, "node1")));
        }
        assertThat(gateways.get(ORG2).getBean(EventDispatcher.class).status().running()).isTrue();
    }

    // --- fixtures ---

    private static TopicReader.Message assignment(TopicReader reader, String jobId) {
        return reader.until(rs -> rs.stream().anyMatch(r -> jobId.equals(r.jobId())), Duration.ofSeconds(30))
                .stream().filter(r -> jobId.equals(r.jobId())).findFirst().orElseThrow();
    }

    private static int replica(TopicReader.Message assignment) {
        return Integer.parseInt(assignment.text("replica"));
    }

    private double actions(String org, String action, String outcome) {
        var counter = gateways.get(org).getBean(MeterRegistry.class).find("gridledger.housekeeping.actions")
                .tags("action", action, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void offers(String test, Map<String, String> labels, int slots) {
        long price = 10;
        var published = new ArrayList<String>();
        for (var org : List.of(ORG2, ORG3)) {
            var provider = TestLedgers.of(org);
            provider.deposit("Admin", account(org, "node1"), 1_000L * slots + 1_000);
            var offerId = id("offer", test + "-" + org);
            provider.publishOffer("node1", offer(offerId, price++, slots, labels));
            published.add(offerId);
        }
        assertThat(published).hasSize(2);
    }
}
