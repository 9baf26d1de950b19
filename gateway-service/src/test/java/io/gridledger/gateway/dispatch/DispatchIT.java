package io.gridledger.gateway.dispatch;

import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.Ledger;
import io.gridledger.gateway.testkit.GatewayContexts;
import io.gridledger.ledger.testkit.TestLedgers;
import io.gridledger.gateway.testkit.TopicReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.gridledger.gateway.testkit.Fixtures.id;
import static io.gridledger.gateway.testkit.Fixtures.job;
import static io.gridledger.gateway.testkit.Fixtures.offer;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher of real gateway contexts (Org2's and Org3's) over the local consortium and the embedded broker, with
 * the test matching jobs itself: each org's topic gets its own nodes' assignments, keyed by node; a restarted
 * dispatcher resumes from its checkpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DispatchIT {

    private static final Map<String, Object> DISPATCH_ONLY = Map.of("gridledger.housekeeping.enabled", false);
    private Ledger client;

    @BeforeAll
    void fund() {
        client = TestLedgers.of("Org1MSP");
        client.deposit("Admin", account("Org1MSP", "User1"), 1_000_000);
    }

    @Test
    void each_org_gets_the_assignments_of_its_own_nodes_keyed_by_node_and_every_job_change() {
        var labels = pool("dispatch");
        offers("dispatch", labels, 1);
        var jobId = id("job", "dispatch");
        try (var org2 = GatewayContexts.start("Org2MSP", "dispatch", GatewayContexts.checkpointFile(), DISPATCH_ONLY);
             var org3 = GatewayContexts.start("Org3MSP", "dispatch", GatewayContexts.checkpointFile(), DISPATCH_ONLY);
             var org2Assignments = TopicReader.open(GatewayContexts.assignmentsTopic("dispatch", "Org2MSP"));
             var org3Assignments = TopicReader.open(GatewayContexts.assignmentsTopic("dispatch", "Org3MSP"));
             var org2Jobs = TopicReader.open(GatewayContexts.jobEventsTopic("dispatch", "Org2MSP"))) {
            client.submitJob("User1", job(jobId, 600, labels));
            var matched = client.matchJobs("User1", List.of(jobId), List.of());
            var byOrg = matched.value().assignments().stream().collect(Collectors.toMap(Assignment::nodeOrg, Function.identity()));

            for (var entry : Map.of("Org2MSP", org2Assignments, "Org3MSP", org3Assignments).entrySet()) {
                var expected = byOrg.get(entry.getKey());
                var records = entry.getValue().until(rs -> rs.stream().anyMatch(r -> jobId.equals(r.jobId())), Duration.ofSeconds(30));
                var record = records.stream().filter(r -> jobId.equals(r.jobId())).findFirst().orElseThrow();
                assertThat(record.key()).isEqualTo(expected.nodeId()).startsWith(entry.getKey() + "/");
                assertThat(record.text("dispatchKey")).isEqualTo(jobId + "#" + expected.replica() + "#1");
                assertThat(record.text("replica")).isEqualTo(Integer.toString(expected.replica()));
                assertThat(record.text("round")).isEqualTo("0");
                assertThat(record.text("commitDeadline")).isEqualTo(Long.toString(expected.commitDeadline()));
                assertThat(record.text("txId")).isEqualTo(matched.txId());
                assertThat(record.text("blockNumber")).isEqualTo(Long.toString(matched.blockNumber()));
                assertThat(records).allSatisfy(r -> assertThat(r.key()).startsWith(entry.getKey() + "/"));
            }
            var changes = org2Jobs.until(rs -> rs.stream().filter(r -> jobId.equals(r.jobId())).count() >= 2, Duration.ofSeconds(30))
                    .stream().filter(r -> jobId.equals(r.jobId())).toList();
            assertThat(changes).allSatisfy(r -> assertThat(r.key()).isEqualTo(jobId));
            assertThat(changes).extracting(r -> r.text("event") + ":" + r.text("status"))
                    .containsExactly("JobSubmitted:QUEUED", "JobsMatched:RUNNING");
            assertThat(org2.getBean(EventDispatcher.class).status().running()).isTrue();
        }
    }

    @Test
    void a_restarted_dispatcher_resumes_from_its_checkpoint_and_loses_no_assignment() {
        var labels = pool("restart");
        offers("restart", labels, 3);
        var checkpoint = GatewayContexts.checkpointFile();
        var topic = GatewayContexts.assignmentsTopic("restart", "Org2MSP");
        var first = id("job", "restart-a");
        try (var org2 = GatewayContexts.start("Org2MSP", "restart", checkpoint, DISPATCH_ONLY);
             var reader = TopicReader.open(topic)) {
            submitAndMatch(first, labels);
            reader.until(rs -> rs.stream().anyMatch(r -> first.equals(r.jobId())), Duration.ofSeconds(30));
        }
        // the gateway is down while two more jobs are matched
        var later = List.of(id("job", "restart-b"), id("job", "restart-c"));
        later.forEach(jobId -> submitAndMatch(jobId, labels));
        try (var org2 = GatewayContexts.start("Org2MSP", "restart", checkpoint, DISPATCH_ONLY);
             var reader = TopicReader.open(topic)) {
            reader.until(rs -> later.stream().allMatch(id -> rs.stream().anyMatch(r -> id.equals(r.jobId()))), Duration.ofSeconds(30));
            var records = reader.drain(Duration.ofSeconds(1));
            // an idempotent consumer keys by jobId#replica#attempt: one assignment per job, none lost, none repeated
            // (a dispatcher without a checkpoint starts at block 0, so the topic also has other tests' Org2 work)
            var byKey = records.stream().filter(r -> r.jobId().startsWith("job-restart-")).collect(Collectors.groupingBy(r -> r.text("dispatchKey"), Collectors.counting()));
            assertThat(byKey.keySet()).hasSize(3).allSatisfy(key -> assertThat(key).matches(".*restart-[abc].*#[01]#1"));
            assertThat(byKey.values()).containsOnly(1L);
        }
    }

    private void submitAndMatch(String jobId, Map<String, String> labels) {
        client.submitJob("User1", job(jobId, 600, labels));
        assertThat(client.matchJobs("User1", List.of(jobId), List.of()).value().assignments()).hasSize(2);
    }

    private static void offers(String test, Map<String, String> labels, int slots) {
        long price = 10;
        for (var org : List.of("Org2MSP", "Org3MSP")) {
            var provider = TestLedgers.of(org);
            provider.deposit("Admin", account(org, "node1"), 1_000L * slots + 1_000);
            provider.publishOffer("node1", offer(id("offer", test + "-" + org), price++, slots, labels));
        }
    }
}
