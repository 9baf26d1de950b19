package io.gridledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridledger.cli.GatewayClient;
import io.gridledger.consortium.LocalStack;
import io.gridledger.consortium.StackSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.gridledger.e2e.HappyPathsIT.assertPaymentsFeeAndRefundAddUpToTheEscrow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crashing provider: the agent of a node running a replica is killed with SIGKILL mid-job. The replica times out
 * at its commit deadline, is reassigned to the node of the org that had no replica, and the job completes; the dead
 * node is not paid. Started again, the agent comes back healthy and takes work.
 */
class CrashingProviderIT {

    private static final int SLASH_BASIS_POINTS = 1_000;

    private final LocalStack stack = E2eStack.shared();
    private final Partner alice = Partner.of("Org1MSP");

    @Test
    void a_replica_of_a_killed_agent_is_reassigned_after_its_deadline_and_the_job_completes() throws Exception {
        var jobId = alice.submitScript("sleep 15 && echo survived > /output/out.txt", 2, 2, 30);

        // The two nodes the job landed on, each running its replica.
        var first = new AtomicReference<List<JsonNode>>();
        await("both replicas running").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            var replicas = replicas(jobId);
            first.set(replicas);
            return replicas.size() == 2 && replicas.stream().allMatch(r -> "running".equals(r.path("agent").path("step").asText()));
        });
        var assigned = first.get().stream().map(r -> r.path("nodeOrg").asText()).toList();
        assertThat(new HashSet<>(assigned)).as("orgs of the replicas %s", first.get()).hasSize(2);
        // Prefer a provider other than the client's own org as the victim.
        var victimOrg = assigned.stream().filter(org -> !org.equals(alice.mspId)).findFirst().orElseThrow();
        var victim = LocalStack.account(victimOrg, "node1");
        var remainingOrg = stack.settings().agentMspIds().stream().filter(org -> !assigned.contains(org)).findFirst().orElseThrow();
        var remaining = LocalStack.account(remainingOrg, "node1");

        var victimOffer = "/offers/offer-" + StackSettings.shortName(victimOrg) + "-node1";
        long stakeBefore = alice.client().get(victimOffer).path("stake").asLong();
        long noShowsBefore = noShows(victim);
        long collateral = 0;
        for (var replica : alice.job(jobId).path("replicas")) {
            if (nodeOfReplica(replica).equals(victim)) {
                collateral = replica.path("assignment").path("collateral").asLong();
            }
        }
        assertThat(collateral).isPositive();

        stack.agent(victimOrg).kill();
        try {
            assertThat(stack.agent(victimOrg).isRunning()).isFalse();
            assertThat(alice.watch(jobId)).as("gridctl jobs watch exit code").isZero();

            var view = alice.job(jobId);
            var job = view.path("job");
            assertThat(job.path("status").asText()).as("%s", view).isEqualTo("COMPLETED");
            // One replica key per index on the ledger: the timed-out attempt is the node excluded from the job and
            // its slot hold ended; the replica's next attempt ran on the node of the org that had none.
            assertThat(job.path("excludedNodes")).as("nodes that timed out on the job: %s", view)
                    .extracting(JsonNode::asText).containsExactly(victim);
            var deadHolds = new ArrayList<JsonNode>();
            job.path("holds").forEach(h -> {
                if (h.path("offerId").asText().equals("offer-" + StackSettings.shortName(victimOrg) + "-node1")) {
                    deadHolds.add(h);
                }
            });
            assertThat(deadHolds).as("the dead node's slot holds in %s", view).hasSize(1);
            assertThat(deadHolds.get(0).path("ended").asBoolean()).isTrue();
            int index = deadHolds.get(0).path("replica").asInt();
            int deadAttempt = deadHolds.get(0).path("attempt").asInt();
            var replicas = new ArrayList<JsonNode>();
            view.path("replicas").forEach(replicas::add);
            assertThat(replicas).extracting(HappyPathsIT::nodeOf).doesNotContain(victim).contains(remaining);
            var reassigned = replicas.stream().filter(r -> r.path("assignment").path("index").asInt() == index).toList();
            assertThat(reassigned).as("the replica's next attempt").hasSize(1);
            assertThat(nodeOfReplica(reassigned.get(0))).isEqualTo(remaining);
            assertThat(reassigned.get(0).path("assignment").path("attempt").asInt()).isGreaterThan(deadAttempt);
            assertThat(reassigned.get(0).path("verdict").asText()).isEqualTo("AGREED");
            // The no-show costs the dead node a slash of its collateral, when its replica expired, and reputation.
            assertThat(alice.client().get(victimOffer).path("stake").asLong()).as("the dead node's stake")
                    .isEqualTo(stakeBefore - collateral * SLASH_BASIS_POINTS / 10_000);
            assertThat(noShows(victim)).isEqualTo(noShowsBefore + 1);

            var payments = job.path("outcome").path("payments");
            assertThat(payments.has(victim)).as("payments %s", payments).isFalse();
            assertThat(payments.path(remaining).asLong()).as("payments %s", payments).isPositive();
            assertThat(payments.size()).isEqualTo(2);
            assertPaymentsFeeAndRefundAddUpToTheEscrow(job);

            var dir = alice.home.resolve("results/" + jobId);
            var results = alice.results(jobId, dir);
            assertThat(results.exit()).as("%s", results).isZero();
            assertThat(Files.readString(dir.resolve("out.txt"))).isEqualTo("survived\n");
        } finally {
            if (!stack.agent(victimOrg).isRunning()) {
                stack.agent(victimOrg).start();
            }
        }

        // Back: it recovers its journal and runs a replica of a job that needs every node.
        var after = alice.submitScript("echo back > /output/back.txt", 3, 2, 60);
        assertThat(alice.watch(after)).isZero();
        var afterView = alice.job(after);
        assertThat(afterView.path("job").path("status").asText()).isEqualTo("COMPLETED");
        assertThat(afterView.path("job").path("outcome").path("payments").path(victim).asLong())
                .as("the restarted node is paid again: %s", afterView).isPositive();
    }

    @AfterAll
    static void no_credit_is_created_or_lost_and_every_job_ended() {
        Audit.assertEveryJobTerminal(E2eStack.shared());
        Audit.assertCreditsConserved(E2eStack.shared());
    }

    private long noShows(String node) {
        return alice.client().get(GatewayClient.query("/reputation/node", java.util.Map.of("nodeId", node)))
                .path("record").path("noShows").asLong();
    }

    private static String nodeOfReplica(JsonNode replica) {
        return HappyPathsIT.nodeOf(replica);
    }

    private List<JsonNode> replicas(String jobId) {
        var list = new ArrayList<JsonNode>();
        alice.client().get("/jobs/" + jobId + "/replicas").forEach(list::add);
        return list;
    }
}
