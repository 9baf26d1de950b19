package io.gridledger.e2e;

import io.gridledger.consortium.LocalStack;
import io.gridledger.ledger.EventCheckpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.gridledger.e2e.HappyPathsIT.assertPaymentsFeeAndRefundAddUpToTheEscrow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Parts restarted mid-flight, each killed with SIGKILL and started again: the client org's gateway (its jobs complete
 * and an event stream resumed with {@code Last-Event-ID} misses and repeats nothing) and devnet (every job submitted
 * before completes, no credit is lost, the chain keeps every block).
 */
class RestartsIT {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    private final LocalStack stack = E2eStack.shared();
    private final Partner alice = Partner.of("Org1MSP");

    @Test
    void a_gateway_killed_mid_flight_comes_back_its_job_completes_and_a_resumed_stream_misses_and_repeats_no_event() {
        var gateway = stack.gateway(alice.mspId);
        var jobId = alice.submitScript("sleep 5 && echo through > /output/out.txt", 2, 2, 60);

        List<EventRecording.Received> before;
        String resumeFrom;
        long restartedAt;
        try (var first = EventRecording.open(alice, jobId, null)) {
            // Killed as soon as the last replica committed: the reveals then commit while it is down (an agent reveals
            // with its own identity, not through the client org's gateway), so the resumed stream has a gap to fill.
            await("both replicas' commitments, seen on the stream").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> first.events().stream().filter(e -> "ResultCommitted".equals(e.name()))
                            .map(e -> e.data().path("replica").asInt()).distinct().count() == 2);
            gateway.kill();
            await("the stream broken").atMost(Duration.ofSeconds(20)).until(first::ended);
            before = first.events();
            resumeFrom = first.lastEventId();
        } finally {
            if (!gateway.isRunning()) {
                gateway.start();
            }
        }
        restartedAt = chainHeight();
        assertThat(before).as("nothing final before the kill: %s", before).noneMatch(EventRecording.Received::isFinal);
        assertThat(resumeFrom).isNotNull();

        List<EventRecording.Received> after;
        try (var second = EventRecording.open(alice, jobId, resumeFrom)) {
            await("the resumed stream's final event").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> second.sawFinal() || second.ended());
            after = second.events();
        }
        var job = alice.job(jobId).path("job");
        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
        assertPaymentsFeeAndRefundAddUpToTheEscrow(job);

        // The ledger's events of the job, as the ledger itself has them, are the ones the two streams carried
        // together: from the first one received to the final one, each once.
        var seen = new ArrayList<String>();
        before.stream().filter(EventRecording.Received::isLedgerEvent).forEach(e -> seen.add(e.id()));
        after.stream().filter(EventRecording.Received::isLedgerEvent).forEach(e -> seen.add(e.id()));
        var ledger = ledgerEventIds(jobId);
        assertThat(seen).as("ledger events received (before the kill: %s; after: %s)", before, after).isNotEmpty()
                .doesNotHaveDuplicates();
        assertThat(ledger).contains(seen.get(0));
        assertThat(seen).as("the ledger's events of the job %s", ledger)
                .containsExactlyElementsOf(ledger.subList(ledger.indexOf(seen.get(0)), ledger.size()));
        var gap = ledger.subList(ledger.indexOf(seen.get(0)), ledger.size()).stream()
                .filter(id -> before.stream().noneMatch(e -> id.equals(e.id())))
                .filter(id -> Long.parseLong(id.substring(0, id.indexOf(':'))) < restartedAt).toList();
        assertThat(gap).as("ledger events of the job committed while the gateway was down (the case this test is about)")
                .isNotEmpty();
        assertThat(after).as("the resumed stream ends with the final event").last().matches(EventRecording.Received::isFinal);

        // Agent steps are sent once too; a resumed stream's Snapshot may restate each replica's latest step.
        var steps = new HashSet<String>();
        before.stream().filter(e -> "AgentStep".equals(e.name())).forEach(e -> assertThat(steps.add(e.id())).as("%s sent twice", e).isTrue());
        boolean preamble = true;
        for (var e : after) {
            if ("Snapshot".equals(e.name())) {
                continue;
            }
            boolean isStep = "AgentStep".equals(e.name());
            preamble &= isStep;
            if (isStep && !steps.add(e.id())) {
                assertThat(preamble).as("%s repeated outside the Snapshot's restatement: %s", e, after).isTrue();
            }
        }
    }

    @Test
    void devnet_killed_mid_flight_comes_back_every_job_completes_and_the_chain_only_grew() {
        var jobs = List.of(
                alice.submitScript("sleep 10 && echo one > /output/one.txt", 1, 1, 60),
                alice.submitScript("sleep 10 && echo two > /output/two.txt", 2, 2, 60));
        await("both jobs running").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> jobs.stream().allMatch(id -> "RUNNING".equals(alice.job(id).path("job").path("status").asText())));
        long heightBefore = chainHeight();

        var devnet = stack.devnet();
        devnet.kill();
        try {
            assertThat(devnet.isRunning()).isFalse();
        } finally {
            devnet.start();
        }
        assertThat(chainHeight()).as("the chain after the restart").isGreaterThanOrEqualTo(heightBefore);

        await("every job submitted before ended").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> jobs.stream().allMatch(id -> TERMINAL.contains(alice.job(id).path("job").path("status").asText())));
        for (var id : jobs) {
            var job = alice.job(id).path("job");
            assertThat(job.path("status").asText()).as("%s", job).isEqualTo("COMPLETED");
            assertPaymentsFeeAndRefundAddUpToTheEscrow(job);
        }
        assertThat(chainHeight()).as("the chain once the jobs settled").isGreaterThan(heightBefore);
    }

    @AfterAll
    static void no_credit_is_created_or_lost_and_every_job_ended() {
        Audit.assertEveryJobTerminal(E2eStack.shared());
        Audit.assertCreditsConserved(E2eStack.shared());
    }

    private long chainHeight() {
        try (var ledger = stack.ledger("Org1MSP")) {
            return ledger.chainHeight("Admin");
        }
    }

    /** {@code <block>:<txId>:<jobId>} of every chaincode event of the job, in ledger order, up to its final one. */
    private List<String> ledgerEventIds(String jobId) {
        var ids = new ArrayList<String>();
        try (var ledger = stack.ledger("Org1MSP"); var events = ledger.events("Admin", EventCheckpoint.START)) {
            while (events.hasNext()) {
                var event = events.next();
                if (event.payload().jobIds().contains(jobId)) {
                    ids.add(event.blockNumber() + ":" + event.txId() + ":" + jobId);
                    if (TERMINAL.contains(event.payload().statuses().getOrDefault(jobId, ""))) {
                        return ids;
                    }
                }
            }
        }
        return ids;
    }
}
