package io.gridledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridledger.cli.GatewayClient;
import io.gridledger.consortium.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gridledger.e2e.HappyPathsIT.assertPaymentsFeeAndRefundAddUpToTheEscrow;
import static io.gridledger.e2e.HappyPathsIT.nodeOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lying provider: Org3's agent returns a corrupted result for every job ({@code gridledger.agent.faults.corrupt-results}).
 * A replicated 3/2 job still completes with the honest majority's result; the liar is not paid, loses a slash of its
 * collateral to the treasury and loses reputation, while the honest nodes gain it.
 */
class LyingProviderIT {

    private static final String LIAR_ORG = "Org3MSP";
    private static final String LIAR = LocalStack.account(LIAR_ORG, "node1");
    private static final List<String> HONEST = List.of(LocalStack.account("Org1MSP", "node1"), LocalStack.account("Org2MSP", "node1"));
    private static final int SLASH_BASIS_POINTS = 1_000;
    /** What {@code gridctl jobs results} writes beside the outputs: the manifest it verified them against. */
    private static final String GRIDCTL_MANIFEST = ".result-manifest";

    private final LocalStack stack = E2eStack.shared();
    private final Partner alice = Partner.of("Org1MSP");
    /** The client of the lied-to job: Org3's partner, so that the honest nodes of Org1 and Org2 work for another org. */
    private final Partner carol = Partner.of("Org3MSP");

    @Test
    void a_replicated_job_completes_with_the_honest_majority_and_the_liar_is_slashed_unpaid_and_loses_reputation() throws Exception {
        // Every node first earns some reputation with an honest job for Org1's partner, so the liar has some to lose.
        var warmUp = alice.submitScript("echo warm-up > /output/warm.txt", 3, 2, 60);
        assertThat(alice.watch(warmUp)).as("the honest warm-up job").isZero();
        assertThat(alice.job(warmUp).path("job").path("status").asText()).isEqualTo("COMPLETED");

        stack.reconfigureAgent(LIAR_ORG, Map.of("gridledger.agent.faults.corrupt-results", "true"));
        try {
            var reputationBefore = new HashMap<String, JsonNode>();
            for (var node : nodes()) {
                reputationBefore.put(node, reputation(node));
            }
            long liarStakeBefore = liarOffer().path("stake").asLong();
            long treasuryBefore = treasury();

            var jobId = carol.submitScript("seq 1 100 | sort -rn > /output/numbers.txt && echo done > /output/status.txt", 3, 2, 60);
            assertThat(carol.watch(jobId)).as("gridctl jobs watch exit code").isZero();

            var view = carol.job(jobId);
            var job = view.path("job");
            var outcome = job.path("outcome");
            assertThat(job.path("status").asText()).as("%s", view).isEqualTo("COMPLETED");

            // Each node ran one replica; the honest two revealed one fingerprint, the liar another.
            var byNode = new HashMap<String, JsonNode>();
            view.path("replicas").forEach(r -> byNode.put(nodeOf(r), r));
            assertThat(byNode.keySet()).as("nodes of the replicas").containsExactlyInAnyOrderElementsOf(nodes());
            var honestFingerprint = byNode.get(HONEST.get(0)).path("reveal").path("fingerprint").asText();
            assertThat(honestFingerprint).isNotEmpty();
            assertThat(byNode.get(HONEST.get(1)).path("reveal").path("fingerprint").asText()).isEqualTo(honestFingerprint);
            assertThat(byNode.get(LIAR).path("reveal").path("fingerprint").asText())
                    .as("the liar revealed its corrupted result").isNotEmpty().isNotEqualTo(honestFingerprint);
            assertThat(outcome.path("fingerprint").asText()).as("the agreed result").isEqualTo(honestFingerprint);
            for (var node : HONEST) {
                assertThat(byNode.get(node).path("verdict").asText()).as("verdict of %s", node).isEqualTo("AGREED");
            }
            assertThat(byNode.get(LIAR).path("verdict").asText()).isEqualTo("DISSENTED");

            // The liar is not paid and is slashed; the treasury gains the fee and the slash.
            assertThat(outcome.path("payments").has(LIAR)).as("payments %s", outcome.path("payments")).isFalse();
            for (var node : HONEST) {
                assertThat(outcome.path("payments").path(node).asLong()).as("payment of %s", node).isPositive();
            }
            long collateral = byNode.get(LIAR).path("assignment").path("collateral").asLong();
            long slash = collateral * SLASH_BASIS_POINTS / 10_000;
            assertThat(slash).isPositive();
            assertThat(outcome.path("slashed").path(LIAR).asLong()).as("slashed %s", outcome.path("slashed")).isEqualTo(slash);
            assertThat(outcome.path("slashed").size()).as("only the liar is slashed").isEqualTo(1);
            assertThat(liarOffer().path("stake").asLong()).as("the liar's stake").isEqualTo(liarStakeBefore - slash);
            assertThat(treasury()).as("the treasury").isEqualTo(treasuryBefore + outcome.path("fee").asLong() + slash);
            assertPaymentsFeeAndRefundAddUpToTheEscrow(job);

            // Reputation: the liar's drops, the honest nodes' rises.
            var liarBefore = reputationBefore.get(LIAR);
            var liarAfter = reputation(LIAR);
            // Evidence, not only the score: earlier classes' no-shows (jobs that failed in their containers) can hold a
            // node's score at its floor of 0, where it cannot fall or rise.
            assertThat(liarAfter.path("negativeEvidence").asDouble()).as("the liar's negative evidence: %s → %s", liarBefore, liarAfter)
                    .isGreaterThan(liarBefore.path("negativeEvidence").asDouble());
            if (liarBefore.path("score").asInt() > 0) {
                assertThat(liarAfter.path("score").asInt()).as("the liar's score: %s → %s", liarBefore, liarAfter)
                        .isLessThan(liarBefore.path("score").asInt());
            }
            assertThat(liarAfter.path("record").path("dissented").asLong())
                    .isEqualTo(liarBefore.path("record").path("dissented").asLong() + 1);
            for (var node : HONEST) {
                var before = reputationBefore.get(node);
                var after = reputation(node);
                assertThat(after.path("positiveEvidence").asDouble()).as("positive evidence of %s: %s → %s", node, before, after)
                        .isGreaterThan(before.path("positiveEvidence").asDouble());
                assertThat(after.path("score").asInt()).as("score of %s: %s → %s", node, before, after)
                        .isGreaterThanOrEqualTo(before.path("score").asInt());
                assertThat(after.path("record").path("dissented").asLong()).isEqualTo(before.path("record").path("dissented").asLong());
            }

            // The outputs downloaded are the honest ones, verified by gridctl against the agreed digest.
            var dir = carol.home.resolve("results/" + jobId);
            var results = carol.results(jobId, dir);
            assertThat(results.exit()).as("%s", results).isZero();
            var expected = new StringBuilder();
            for (int i = 100; i >= 1; i--) {
                expected.append(i).append('\n');
            }
            assertThat(Files.readString(dir.resolve("numbers.txt"))).isEqualTo(expected.toString());
            assertThat(Files.readString(dir.resolve("status.txt"))).isEqualTo("done\n");
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(name -> !name.equals(GRIDCTL_MANIFEST)).toList())
                        .as("no trace of the corrupted result").containsExactlyInAnyOrder("numbers.txt", "status.txt");
            }
            var redirect = carol.client().redirectOf("/jobs/" + jobId + "/result");
            assertThat(redirect.statusCode()).isEqualTo(303);
            assertThat(redirect.headers().firstValue("X-Result-Fingerprint")).hasValue(honestFingerprint);
        } finally {
            stack.reconfigureAgent(LIAR_ORG, Map.of());
        }
    }

    @AfterAll
    static void no_credit_is_created_or_lost_and_every_job_ended() {
        Audit.assertEveryJobTerminal(E2eStack.shared());
        Audit.assertCreditsConserved(E2eStack.shared());
    }

    private static List<String> nodes() {
        return List.of(HONEST.get(0), HONEST.get(1), LIAR);
    }

    private JsonNode reputation(String node) {
        return alice.client().get(GatewayClient.query("/reputation/node", Map.of("nodeId", node)));
    }

    private JsonNode liarOffer() {
        return alice.client().get("/offers/offer-" + io.gridledger.consortium.StackSettings.shortName(LIAR_ORG) + "-node1");
    }

    private long treasury() {
        try (var ledger = stack.ledger("Org1MSP")) {
            return ledger.getAccount("Admin", "treasury").balance();
        }
    }
}
