package io.gridledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The partner's everyday paths on the whole stack, through gridctl and the REST API. */
class HappyPathsIT {

    private final Partner alice = Partner.of("Org1MSP");

    @Test
    void a_single_execution_job_completes_and_its_output_downloads_verified() throws Exception {
        long before = alice.client().get("/account").path("balance").asLong();
        var jobId = alice.submitScript("echo hello from GridLedger > /output/hello.txt", 1, 1, 60);

        assertThat(alice.watch(jobId)).as("gridctl jobs watch exit code").isZero();
        var results = alice.results(jobId, alice.home.resolve("results/" + jobId));
        assertThat(results.exit()).as("%s", results).isZero();
        assertThat(Files.readString(alice.home.resolve("results/" + jobId + "/hello.txt"))).isEqualTo("hello from GridLedger\n");

        var job = alice.job(jobId).path("job");
        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
        assertPaymentsFeeAndRefundAddUpToTheEscrow(job);
        long paid = sum(job.path("outcome").path("payments")) + job.path("outcome").path("fee").asLong();
        assertThat(alice.client().get("/account").path("balance").asLong()).isEqualTo(before - paid);
    }

    @Test
    void a_replicated_job_with_an_input_runs_on_three_orgs_and_settles_on_matching_hashes() throws Exception {
        var spec = alice.spec("sort -n /input/numbers.txt > /output/sorted.txt && wc -l < /input/numbers.txt > /output/count.txt",
                3, 2, 60, "inputs:\n  - name: numbers.txt\n    path: ./numbers.txt\n");
        var jobId = alice.submit(spec, Map.of("numbers.txt", "42\n7\n1999\n3\n"));

        assertThat(alice.watch(jobId)).isZero();
        var dir = alice.home.resolve("results/" + jobId);
        var results = alice.results(jobId, dir);
        assertThat(results.exit()).as("%s", results).isZero();
        assertThat(Files.readString(dir.resolve("sorted.txt"))).isEqualTo("3\n7\n42\n1999\n");
        assertThat(Files.readString(dir.resolve("count.txt")).trim()).isEqualTo("4");

        var view = alice.job(jobId);
        var job = view.path("job");
        var orgs = new HashSet<String>();
        view.path("replicas").forEach(r -> orgs.add(nodeOf(r).replaceAll("/.*", "")));
        assertThat(orgs).as("the orgs of the replicas' nodes").containsExactlyInAnyOrder("Org1MSP", "Org2MSP", "Org3MSP");
        assertThat(job.path("outcome").path("payments").size()).isEqualTo(3);
        assertPaymentsFeeAndRefundAddUpToTheEscrow(job);
    }

    @AfterAll
    static void no_credit_is_created_or_lost_and_every_job_ended() {
        Audit.assertEveryJobTerminal(E2eStack.shared());
        Audit.assertCreditsConserved(E2eStack.shared());
    }

    /** The node of a replica of {@code GET /jobs/{id}}'s {@code replicas}. */
    static String nodeOf(JsonNode replica) {
        return replica.path("assignment").path("nodeId").asText();
    }

    static void assertPaymentsFeeAndRefundAddUpToTheEscrow(JsonNode job) {
        var outcome = job.path("outcome");
        assertThat(sum(outcome.path("payments")) + outcome.path("fee").asLong() + outcome.path("refund").asLong())
                .as("payments + fee + refund of %s", job).isEqualTo(job.path("escrowed").asLong());
    }

    static long sum(JsonNode amounts) {
        long total = 0;
        for (var amount : amounts) {
            total += amount.asLong();
        }
        return total;
    }
}
