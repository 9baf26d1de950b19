package io.gridledger.ledger;

import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.gridledger.gateway.testkit.Fixtures.commitment;
import static io.gridledger.gateway.testkit.Fixtures.fingerprint;
import static io.gridledger.gateway.testkit.Fixtures.id;
import static io.gridledger.gateway.testkit.Fixtures.job;
import static io.gridledger.gateway.testkit.Fixtures.offer;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static io.gridledger.gateway.testkit.Fixtures.salt;
import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The ledger facade against the real local consortium (devnet and the chaincode jar): every method once, refusals as
 * typed errors with their code, read conflicts retried, deadlines applied.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FabricLedgerIT {

    private static final String ORG1 = "Org1MSP";
    private static final String ORG2 = "Org2MSP";
    private static final String ORG3 = "Org3MSP";

    private Ledger org1;
    private Ledger org2;
    private Ledger org3;

    @BeforeAll
    void connect() {
        LocalConsortium.shared();
        org1 = TestLedgers.of(ORG1);
        org2 = TestLedgers.of(ORG2);
        org3 = TestLedgers.of(ORG3);
    }

    @Test
    void governance_reads_the_bootstrap_refuses_a_second_one_and_applies_a_proposal_approved_by_a_majority() {
        var genesis = LocalConsortium.parameters();
        var bootstrap = org3.getBootstrap("User1", genesis);
        assertThat(bootstrap.applied()).isTrue();
        assertThat(bootstrap.approvals()).containsExactly(ORG1, ORG2);
        assertThatThrownBy(() -> org1.initLedger("Admin", genesis, Set.of()))
                .isInstanceOfSatisfying(ContractRefusal.class, refusal -> {
                    assertThat(refusal.code()).isEqualTo(ContractErrorCode.ALREADY_EXISTS);
                    assertThat(refusal.transaction()).isEqualTo("InitLedger");
                    assertThat(refusal.txId()).isPresent();
                });

        var current = org1.getParameters("User1");
        var proposalId = id("params", "gov");
        var proposed = org1.proposeParameters("Admin", proposalId, current.version(), Instant.now().getEpochSecond() + 3_600, current);
        assertThat(proposed.value().status()).isEqualTo(Proposal.Status.OPEN);
        assertThat(proposed.txId()).isNotBlank();
        var approved = org2.approveProposal("Admin", proposalId);

        assertThat(approved.value().status()).isEqualTo(Proposal.Status.APPLIED);
        assertThat(org3.getProposal("User1", proposalId).approvals()).containsExactly(ORG1, ORG2);
        var applied = org3.getParameters("User1");
        assertThat(applied.version()).isEqualTo(current.version() + 1);
        assertThat(applied.withoutVersion()).isEqualTo(current.withoutVersion());
    }

    @Test
    void accounts_take_deposits_withdrawals_and_transfers_and_list_in_pages() {
        var mine = account(ORG1, "User1");
        var theirs = account(ORG2, "User1");
        long before = org1.whoAmI("User1").balance();
        long theirsBefore = org2.getAccount("User1", theirs).balance();

        var deposit = org1.deposit("Admin", mine, 700);
        assertThat(deposit.value().accountId()).isEqualTo(mine);
        assertThat(deposit.blockNumber()).isPositive();
        org1.withdraw("Admin", mine, 200);
        org1.transfer("User1", theirs, 150);
        org1.compactAccount("User1", mine);

        assertThat(org1.whoAmI("User1").balance()).isEqualTo(before + 700 - 200 - 150);
        assertThat(org1.getAccount("User1", theirs).balance()).isEqualTo(theirsBefore + 150);
        var listed = new ArrayList<String>();
        var request = PageRequest.first(1);
        Page<Account> page;
        do {
            page = org1.listAccounts("User1", request);
            page.items().forEach(a -> listed.add(a.accountId()));
            request = page.next(request);
        } while (page.hasMore());
        assertThat(listed).contains(mine, theirs).doesNotHaveDuplicates();
    }

    @Test
    void a_provider_publishes_updates_pauses_resumes_and_withdraws_an_offer() {
        var labels = pool("offers");
        var offerId = id("offer", "life");
        fund(org1, "node1", 5_000);

        assertThat(org1.publishOffer("node1", offer(offerId, 7, 1, labels)).value().status()).isEqualTo(Offer.Status.ACTIVE);
        assertThat(org1.updateOffer("node1", offer(offerId, 8, 1, labels)).value().unitPrice()).isEqualTo(8);
        assertThat(org1.listOffers("User1", "amd64/cpu", 8, PageRequest.first(200)).items())
                .extracting(Offer::offerId).contains(offerId);
        assertThat(org1.pauseOffer("node1", offerId).value().status()).isEqualTo(Offer.Status.PAUSED);
        assertThat(org1.getOffer("User1", offerId).status()).isEqualTo(Offer.Status.PAUSED);
        assertThat(org1.resumeOffer("node1", offerId).value().status()).isEqualTo(Offer.Status.ACTIVE);
        assertThat(org1.withdrawOffer("node1", offerId).value().status()).isEqualTo(Offer.Status.WITHDRAWN);
        assertThat(org1.listOffersByNode("User1", account(ORG1, "node1"), PageRequest.first(200)).items())
                .filteredOn(o -> o.offerId().equals(offerId)).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(Offer.Status.WITHDRAWN));
    }

    @Test
    void a_job_is_submitted_matched_committed_revealed_settled_and_shows_in_every_query_and_event() {
        var labels = pool("lifecycle");
        var jobId = id("job", "lifecycle");
        var from = EventCheckpoint.at(currentHeight());
        fund(org1, "User1", 100_000);
        publish(org2, "lifecycle", 10, labels);
        publish(org3, "lifecycle", 11, labels);

        var submitted = org1.submitJob("User1", job(jobId, 600, labels));
        assertThat(submitted.value().status()).isEqualTo(Job.Status.QUEUED);
        var matched = org1.matchJobs("User1", List.of(jobId), List.of()).value();
        assertThat(matched.assignments()).extracting(Assignment::nodeOrg).containsExactlyInAnyOrder(ORG2, ORG3);
        waitForNextSecond(org1.getJob("User1", jobId).replicas().get(0).assignment().assignedAt());

        var digest = "c".repeat(64);
        var assignments = matched.assignments().stream().sorted(Comparator.comparingInt(Assignment::replica)).toList();
        for (var a : assignments) {
            var committed = provider(a).commitResult("node1", jobId, a.replica(),
                    commitment(jobId, a.replica(), a.nodeId(), digest, salt(jobId + a.replica())));
            assertThat(committed.value().nodeId()).isEqualTo(a.nodeId());
        }
        for (var a : assignments) {
            var revealed = provider(a).revealResult("node1", jobId, a.replica(), fingerprint(jobId, digest),
                    salt(jobId + a.replica()), 100);
            assertThat(revealed.value().fingerprint()).isEqualTo(fingerprint(jobId, digest));
        }
        var settled = org1.settleJob("User1", jobId);

        assertThat(settled.value().status()).isEqualTo(Job.Status.COMPLETED);
        var view = org1.getJob("User1", jobId);
        assertThat(view.job().outcome().fingerprint()).isEqualTo(fingerprint(jobId, digest));
        assertThat(view.replicas()).allSatisfy(r -> assertThat(r.verdict()).isEqualTo(Verdict.AGREED));
        assertThat(org1.getJobHistory("User1", jobId)).extracting(HistoryEntry::asset).contains("job", "escrow", "reveal/1");
        assertThat(org1.listJobsByClient("User1", account(ORG1, "User1"), PageRequest.first(200)).items())
                .extracting(Job::jobId).contains(jobId);
        assertThat(org1.listJobsByNode("User1", assignments.get(0).nodeId(), PageRequest.first(200)).items())
                .extracting(Job::jobId).contains(jobId);
        assertThat(org1.listJobsByStatus("User1", Job.Status.COMPLETED, PageRequest.first(1)).items()).hasSize(1);
        assertThat(org1.releaseSlots("User1", List.of(jobId)).value().released()).containsExactly(jobId);

        var node = assignments.get(0).nodeId();
        assertThat(org1.getNodeReputation("User1", node).record().earned()).containsKey(ORG1);
        assertThat(org1.getOrgReputation("User1", assignments.get(0).nodeOrg()).subject()).isEqualTo(assignments.get(0).nodeOrg());
        assertThat(org1.compactReputation("User1", node).value().score())
                .isEqualTo(org1.getNodeReputation("User1", node).score());

        var names = new ArrayList<String>();
        try (var events = org1.events("User1", from)) {
            while (!names.contains("JobCompleted")) {
                var event = events.next();
                if (event.payload().jobIds().contains(jobId)) {
                    names.add(event.name());
                    assertThat(event.txId()).isNotBlank();
                    assertThat(event.blockNumber()).isGreaterThanOrEqualTo(from.blockNumber());
                }
            }
        }
        assertThat(names).containsSubsequence("JobSubmitted", "JobsMatched", "ResultCommitted", "ResultCommitted",
                "ResultRevealed", "ResultRevealed", "JobCompleted");
    }

    @Test
    void a_queued_job_is_matched_from_its_queue_and_another_cancelled_and_one_past_its_latest_start_expires() {
        var labels = pool("queue");
        fund(org2, "User1", 200_000);
        var queued = id("job", "queue");
        var cancelled = id("job", "cancel");
        var late = id("job", "late");
        org2.submitJob("User1", job(queued, 600, labels));
        // due right after one second of work plus the commit grace: its latest start passes within seconds
        var lateSpec = job(late, 1, pool("nowhere"));
        org2.submitJob("User1", new JobSpec(lateSpec.jobId(), lateSpec.image(), lateSpec.command(), lateSpec.env(),
                lateSpec.inputs(), lateSpec.resources(), lateSpec.maxUnitPrice(), 1, lateSpec.verification(), 0,
                Instant.now().getEpochSecond() + 1 + LocalConsortium.COMMIT_GRACE_SECONDS + 2));
        org2.submitJob("User1", job(cancelled, 600, pool("nowhere")));
        publish(org1, "queue", 10, labels);
        publish(org3, "queue", 11, labels);

        var report = org3.matchQueue("User1", "amd64/cpu", 100, List.of()).value();
        assertThat(report.assignments()).extracting(Assignment::jobId).contains(queued);
        assertThat(org2.cancelJob("User1", cancelled).value().status()).isEqualTo(Job.Status.CANCELLED);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreException(ContractRefusal.class)
                .until(() -> org3.expireJob("User1", late).value().status() == Job.Status.FAILED);
    }

    @Test
    void refusals_arrive_as_typed_errors_with_the_contracts_code_and_are_not_retried() {
        var meters = new SimpleMeterRegistry();
        try (var ledger = TestLedgers.create(ORG1, Duration.ofSeconds(10), Duration.ofSeconds(10), meters)) {
            assertThatThrownBy(() -> ledger.getJob("User1", "no-such-job"))
                    .isInstanceOfSatisfying(ContractRefusal.class, refusal -> {
                        assertThat(refusal.code()).isEqualTo(ContractErrorCode.NOT_FOUND);
                        assertThat(refusal.reason()).contains("no-such-job");
                        assertThat(refusal.transaction()).isEqualTo("GetJob");
                    });
            assertThatThrownBy(() -> ledger.deposit("User1", account(ORG1, "User1"), 10))
                    .isInstanceOfSatisfying(ContractRefusal.class, refusal -> {
                        assertThat(refusal.code()).isEqualTo(ContractErrorCode.FORBIDDEN);
                        assertThat(refusal.txId()).isPresent();
                    });
            assertThatThrownBy(() -> ledger.settleJob("User1", "no-such-job"))
                    .isInstanceOfSatisfying(ContractRefusal.class, r -> assertThat(r.code()).isEqualTo(ContractErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> ledger.submitJob("User1", job("bad id!", 600, pool("bad"))))
                    .isInstanceOfSatisfying(ContractRefusal.class, r -> assertThat(r.code()).isEqualTo(ContractErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> ledger.whoAmI("nobody")).isInstanceOf(IllegalArgumentException.class);

            assertThat(meters.find("gridledger.ledger.conflicts.retried").counters()).isEmpty();
            assertThat(meters.get("gridledger.ledger.calls").tags("transaction", "Deposit", "outcome", "refused").timer().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void concurrent_updates_of_one_offer_conflict_and_the_loser_is_retried_until_it_commits() throws Exception {
        var meters = new SimpleMeterRegistry();
        var labels = pool("mvcc");
        var offerId = id("offer", "mvcc");
        fund(org3, "node1", 5_000);
        org3.publishOffer("node1", offer(offerId, 10, 2, labels));
        try (var a = TestLedgers.create(ORG3, Duration.ofSeconds(10), Duration.ofSeconds(10), meters);
             var b = TestLedgers.create(ORG3, Duration.ofSeconds(10), Duration.ofSeconds(10), meters)) {
            for (int round = 0; round < 5 && meters.find("gridledger.ledger.conflicts.retried").counters().isEmpty(); round++) {
                var start = new CountDownLatch(1);
                long price = 20 + round * 2L;
                var first = race(start, () -> a.updateOffer("node1", offer(offerId, price, 2, labels)));
                var second = race(start, () -> b.updateOffer("node1", offer(offerId, price + 1, 2, labels)));
                start.countDown();
                var one = first.get(60, TimeUnit.SECONDS);
                var other = second.get(60, TimeUnit.SECONDS);
                assertThat(List.of(one.value().unitPrice(), other.value().unitPrice())).containsExactlyInAnyOrder(price, price + 1);
                assertThat(org3.getOffer("User1", offerId).unitPrice()).isIn(price, price + 1);
            }
        }
        assertThat(meters.get("gridledger.ledger.conflicts.retried").tags("transaction", "UpdateOffer",
                "reason", "MVCC_READ_CONFLICT").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("gridledger.ledger.calls").tags("transaction", "UpdateOffer", "outcome", "ok").timer().count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void deadlines_apply_to_queries_and_endorsements() {
        try (var hurried = TestLedgers.create(ORG1, Duration.ofNanos(1), Duration.ofNanos(1), new SimpleMeterRegistry())) {
            assertThatThrownBy(() -> hurried.getParameters("User1"))
                    .isInstanceOfSatisfying(LedgerUnavailable.class, e -> assertThat(e.timedOut()).isTrue());
            assertThatThrownBy(() -> hurried.transfer("User1", account(ORG2, "User1"), 1))
                    .isInstanceOfSatisfying(EndorsementFailure.class, e -> {
                        assertThat(e.timedOut()).isTrue();
                        assertThat(e.txId()).isPresent();
                    });
        }
    }

    // --- fixtures ---

    private static <T> CompletableFuture<T> race(CountDownLatch start, Supplier<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return call.get();
        });
    }

    private Ledger provider(Assignment assignment) {
        return switch (assignment.nodeOrg()) {
            case ORG1 -> org1;
            case ORG2 -> org2;
            default -> org3;
        };
    }

    private void publish(Ledger ledger, String test, long price, java.util.Map<String, String> labels) {
        fund(ledger, "node1", 5_000);
        var mspId = ledger == org1 ? ORG1 : ledger == org2 ? ORG2 : ORG3;
        ledger.publishOffer("node1", offer(id("offer", test + "-" + mspId), price, 1, labels));
    }

    private static void fund(Ledger ledger, String user, long amount) {
        var mspId = ledger.whoAmI(user).org();
        ledger.deposit("Admin", account(mspId, user), amount);
    }

    /** The block height now, from an event-free probe: the next committed block's number. */
    private long currentHeight() {
        return org1.deposit("Admin", account(ORG1, "User1"), 1).blockNumber();
    }

    private static void waitForNextSecond(long epochSecond) {
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > epochSecond + 1);
    }
}
