package io.gridledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridledger.consortium.LocalStack;
import io.gridledger.consortium.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Org1's Kafka broker and object store go away and come back while Org1's partner works: what the ledger accepted is
 * neither lost nor stuck, a request that needs the missing part gets a clear, retryable error, and the work resumes once
 * the part returns. Each test starts again what it stopped, so later classes find a healthy stack.
 */
class OutagesIT {

    private static final String ORG1 = "Org1MSP";

    private final LocalStack stack = E2eStack.shared();
    private final Partner alice = Partner.of(ORG1);

    @AfterEach
    void every_part_is_running_again() {
        restart(stack.kafka(ORG1));
        restart(stack.objectStore(ORG1));
    }

    @Test
    void a_job_submitted_while_org1s_kafka_is_stopped_is_dispatched_when_it_returns_and_the_one_before_is_not_lost() {
        kafkaOutage(Part::stop);
    }

    @Test
    void a_job_submitted_while_org1s_kafka_was_killed_is_dispatched_when_it_returns_and_the_one_before_is_not_lost() {
        kafkaOutage(Part::kill);
    }

    /**
     * Replicated 3/2 jobs, so one replica lands on Org1's node, whose assignment only Org1's Kafka carries. One job is
     * submitted just before the broker goes, one while it is gone (the ledger takes it: the gateway needs no broker to
     * submit); once it is back both complete with every first attempt revealed — nothing waited out a deadline.
     */
    private void kafkaOutage(Consumer<Part> takeDown) {
        var kafka = stack.kafka(ORG1);
        var before = alice.submit(alice.spec("sleep 3; echo before > /output/o.txt", 3, 2, 90, ""), Map.of());
        takeDown.accept(kafka);
        String during;
        try {
            assertThat(kafka.isRunning()).isFalse();
            during = alice.submit(alice.spec("echo during > /output/o.txt", 3, 2, 90, ""), Map.of());
            assertThat(alice.job(during).path("job").path("status").asText()).isIn("QUEUED", "RUNNING");
            // While the broker is down Org1's gateway cannot hand the job on: it does not complete.
            await("job submitted during the outage stays unfinished while Kafka is down").during(Duration.ofSeconds(8))
                    .atMost(Duration.ofSeconds(15)).until(() -> !alice.job(during).path("job").path("status").asText().equals("COMPLETED"));
        } finally {
            restart(kafka);
        }
        for (var jobId : new String[]{before, during}) {
            var job = alice.awaitEnded(jobId, Duration.ofMinutes(3));
            assertThat(job.path("status").asText()).as("%s", job).isEqualTo("COMPLETED");
            HappyPathsIT.assertPaymentsFeeAndRefundAddUpToTheEscrow(job);
            assertEveryReplicaRevealedAtItsFirstAttempt(jobId);
        }
    }

    @Test
    void a_submission_with_an_input_while_the_object_store_is_down_gets_a_clear_retryable_error() throws Exception {
        var store = stack.objectStore(ORG1);
        var dir = alice.home.resolve("specs/store-down");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("numbers.txt"), "3\n1\n2\n");
        var spec = alice.spec("sort -n /input/numbers.txt > /output/sorted.txt", 1, 1, 60,
                "inputs:\n  - name: numbers.txt\n    path: ./numbers.txt\n");
        Files.writeString(dir.resolve("job.yaml"), spec);
        var jobsBefore = alice.client().get("/jobs?pageSize=200").path("items").size();

        store.stop();
        try {
            long started = System.nanoTime();
            var submitted = alice.gridctl("jobs", "submit", dir.resolve("job.yaml").toString());
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertThat(submitted.exit()).as("gridctl exit code (7: unavailable, retry)\n%s", submitted).isEqualTo(7);
            assertThat(submitted.err()).as("%s", submitted).contains("503").contains("STORAGE_UNAVAILABLE")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(seconds).as("seconds gridctl took to give up").isLessThan(60);

            var raw = alice.raw().post("/uploads", "{\"sha256\":\"" + "ab".repeat(32) + "\",\"sizeBytes\":6}");
            assertThat(raw.status()).as("%s", raw).isEqualTo(503);
            assertThat(raw.contentType()).startsWith("application/json");
            assertThat(raw.json().path("code").asText()).isEqualTo("STORAGE_UNAVAILABLE");
            assertThat(raw.json().path("message").asText()).isNotBlank();
            assertThat(raw.millis()).as("ms to answer").isLessThan(30_000);
        } finally {
            restart(store);
        }
        assertThat(alice.client().get("/jobs?pageSize=200").path("items").size()).as("jobs of the partner: nothing was submitted")
                .isEqualTo(jobsBefore);

        var jobId = alice.submit(spec, Map.of("numbers.txt", "3\n1\n2\n"));
        assertThat(alice.watch(jobId)).isZero();
        var out = alice.home.resolve("results/" + jobId);
        assertThat(alice.results(jobId, out).exit()).isZero();
        assertThat(Files.readString(out.resolve("sorted.txt"))).isEqualTo("1\n2\n3\n");
    }

    @Test
    void a_job_whose_outputs_are_due_while_the_object_store_is_down_completes_once_it_is_back() throws Exception {
        var store = stack.objectStore(ORG1);
        var jobId = alice.submitScript("sleep 6; echo made while the store was down > /output/late.txt", 1, 1, 120);
        await("job " + jobId + " running").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                .until(() -> alice.job(jobId).path("job").path("status").asText().equals("RUNNING"));
        store.stop();
        try {
            await("the agent reached its upload").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> latestSteps(jobId).contains("uploading"));
            // The store stays away for longer than a handful of quick retries: the agent has to wait it out (its
            // commit deadline is two minutes away), not give up and leave the replica to expire.
            await("job unfinished, its agent still uploading, while the store is down").during(Duration.ofSeconds(30))
                    .atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> alice.job(jobId).path("job").path("status").asText().equals("RUNNING")
                            && !latestSteps(jobId).contains("failed"));
        } finally {
            restart(store);
        }
        var job = alice.awaitEnded(jobId, Duration.ofMinutes(3));
        assertThat(job.path("status").asText()).as("%s", job).isEqualTo("COMPLETED");
        assertEveryReplicaRevealedAtItsFirstAttempt(jobId);
        var out = alice.home.resolve("results/" + jobId);
        var results = alice.results(jobId, out);
        assertThat(results.exit()).as("%s", results).isZero();
        assertThat(Files.readString(out.resolve("late.txt"))).isEqualTo("made while the store was down\n");
    }

    @AfterAll
    static void no_credit_is_created_or_lost_and_every_job_ended() {
        Audit.assertEveryJobTerminal(E2eStack.shared());
        Audit.assertCreditsConserved(E2eStack.shared());
    }

    private ArrayList<String> latestSteps(String jobId) {
        var steps = new ArrayList<String>();
        for (var replica : alice.replicas(jobId)) {
            steps.add(replica.path("agent").path("step").asText());
        }
        return steps;
    }

    private void assertEveryReplicaRevealedAtItsFirstAttempt(String jobId) {
        JsonNode replicas = alice.replicas(jobId);
        assertThat(replicas.size()).as("replicas of %s: %s", jobId, replicas).isPositive();
        for (var replica : replicas) {
            assertThat(replica.path("attempt").asInt()).as("%s", replicas).isEqualTo(1);
            assertThat(replica.path("ledgerState").asText()).as("%s", replicas).isEqualTo("REVEALED");
        }
    }

    private static void restart(Part part) {
        if (!part.isRunning()) {
            part.start();
        }
    }
}
