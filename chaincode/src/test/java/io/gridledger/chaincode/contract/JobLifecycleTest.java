package io.gridledger.chaincode.contract;

import io.gridledger.chaincode.ledger.Keys;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.gridledger.chaincode.contract.Consortium.ORG1;
import static io.gridledger.chaincode.contract.Consortium.ORG2;
import static io.gridledger.chaincode.contract.Consortium.ORG3;
import static io.gridledger.chaincode.contract.Consortium.account;
import static io.gridledger.chaincode.contract.Consortium.digest;
import static io.gridledger.chaincode.contract.Consortium.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole job lifecycles through the real contract router: submit → match → commit → reveal → complete →
 * settle, with disagreement, timeouts, reassignment and cancellation.
 *
 * <p>Figures: the test job needs 2,000 millicores + 1,024 MiB + 100 MiB = 2,249,956 µRU. At price 10 for
 * 100 s that costs ceil(2249.956) = 2,250 credits; at 12, 2,700. The escrow for two replicas at max price
 * 20 for 600 s is 2 × 27,000 + 2.5 % = 55,350.
 */
class JobLifecycleTest {

    static final long ESCROW_2_REPLICAS = 55_350;

    Consortium net;
    io.gridledger.chaincode.testing.Identity p1;
    io.gridledger.chaincode.testing.Identity p2;

    @BeforeEach
    void market() {
        net = Consortium.started();
        p1 = net.providerWithOffer(ORG1, "node1", "offer-1", 10, 2);
        p2 = net.providerWithOffer(ORG2, "node2", "offer-2", 12, 2);
        net.fund(net.client, 100_000);
    }

    @Test
    void submitting_escrows_the_maximum_cost_and_queues_the_job() {
        var submitted = net.submitJob("job-1", 2, 2, 20);

        assertThat(event(submitted).get("type").asText()).isEqualTo("JobSubmitted");
        assertThat(submitted.event().orElseThrow().name()).isEqualTo("JobSubmitted");
        var job = net.job("job-1");
        assertThat(job.at("/job/status").asText()).isEqualTo("QUEUED");
        assertThat(job.get("escrow").asLong()).isEqualTo(ESCROW_2_REPLICAS);
        assertThat(net.balance(net.client)).isEqualTo(100_000 - ESCROW_2_REPLICAS);
    }

    @Test
    void submitting_does_not_read_or_write_the_market() {
        var submitted = net.submitJob("job-1", 2, 2, 20);

        assertThat(submitted.writes().keySet()).noneMatch(key -> key.startsWith("\u0000free\u0000") || key.startsWith("\u0000offer"));
    }

    @Nested
    class WhenReplicasAgree {

        @Test
        void the_job_completes_and_escrow_pays_providers_fee_and_refund() {
            net.submitJob("job-1", 2, 2, 20);
            var matched = net.match("job-1");
            var assignments = event(matched).get("assignments");
            assertThat(assignments).hasSize(2);
            assertThat(assignments.get(0).get("nodeId").asText()).isEqualTo(account(p1));
            assertThat(assignments.get(1).get("nodeId").asText()).isEqualTo(account(p2));
            assertThat(net.job("job-1").at("/job/status").asText()).isEqualTo("RUNNING");

            net.commit(p1, "job-1", 0, digest('c'));
            net.commit(p2, "job-1", 1, digest('c'));
            var firstReveal = net.reveal(p1, "job-1", 0, digest('c'), 100);
            assertThat(firstReveal.event().orElseThrow().name()).isEqualTo("ResultRevealed");
            var deciding = net.reveal(p2, "job-1", 1, digest('c'), 120);

            assertThat(deciding.event().orElseThrow().name()).isEqualTo("JobCompleted");
            var job = net.job("job-1");
            assertThat(job.at("/job/status").asText()).isEqualTo("COMPLETED");
            assertThat(job.at("/job/outcome/digest").asText()).isEqualTo(digest('c'));
            assertThat(job.at("/job/outcome/runtimeSeconds").asLong()).isEqualTo(100);
            assertThat(job.get("escrow").asLong()).isZero();
            assertThat(net.balance(p1)).isEqualTo(10 * Consortium.MIN_STAKE - Consortium.MIN_STAKE + 2_250);
            assertThat(net.balance(p2)).isEqualTo(10 * Consortium.MIN_STAKE - Consortium.MIN_STAKE + 2_700);
            assertThat(net.balance(Keys.TREASURY)).isEqualTo(123);
            assertThat(net.balance(net.client)).isEqualTo(100_000 - 2_250 - 2_700 - 123);
            assertThat(job.at("/replicas/0/verdict").asText()).isEqualTo("AGREED");
        }

        @Test
        void agreeing_providers_gain_reputation_and_their_slots_return_to_the_market() {
            net.submitJob("job-1", 2, 2, 20);
            net.match("job-1");
            net.commit(p1, "job-1", 0, digest('c'));
            net.commit(p2, "job-1", 1, digest('c'));
            net.reveal(p1, "job-1", 0, digest('c'), 100);
            net.reveal(p2, "job-1", 1, digest('c'), 100);

            var reputation = net.query("GetNodeReputation", account(p1));
            assertThat(reputation.at("/record/agreed").asLong()).isEqualTo(1);
            assertThat(reputation.at("/record/completed").asLong()).isEqualTo(1);
            assertThat(net.query("GetOrgReputation", ORG2).at("/record/agreed").asLong()).isEqualTo(1);
            assertThat(net.ledger.state(Keys.freeSlot("amd64/cpu", 10, "offer-1", 0))).isPresent();
            assertThat(net.ledger.state(Keys.busySlot("offer-1", 0))).isEmpty();
        }

        @Test
        void a_reveal_before_every_replica_committed_is_refused() {
            net.submitJob("job-1", 2, 2, 20);
            net.match("job-1");
            net.commit(p1, "job-1", 0, digest('c'));

            var early = net.submit(p1, "RevealResult", "job-1", "0", digest('c'), Consortium.saltFor(p1), "100");

            assertThat(early.errorCode()).isEqualTo("WRONG_STATE");
            assertThat(early.writes()).isEmpty();
        }

        @Test
        void a_reveal_that_does_not_open_the_commitment_is_refused() {
            net.submitJob("job-1", 2, 2, 20);
            net.match("job-1");
            net.commit(p1, "job-1", 0, digest('c'));
            net.commit(p2, "job-1", 1, digest('c'));

            var lie = net.submit(p1, "RevealResult", "job-1", "0", digest('d'), Consortium.saltFor(p1), "100");

            assertThat(lie.errorCode()).isEqualTo("COMMITMENT_MISMATCH");
        }

        @Test
        void a_copied_commitment_is_refused() {
            net.submitJob("job-1", 2, 2, 20);
            net.match("job-1");
            net.commit(p1, "job-1", 0, digest('c'));

            var copy = net.submit(p2, "CommitResult", "job-1", "1",
                    io.gridledger.chaincode.domain.Commitments.commitment(digest('c'), Consortium.saltFor(p1)));

            assertThat(copy.errorCode()).isEqualTo("INVALID_ARGUMENT");
        }

        @Test
        void only_the_assigned_node_can_commit_or_reveal_its_replica() {
            net.submitJob("job-1", 2, 2, 20);
            net.match("job-1");

            var foreign = net.submit(p2, "CommitResult", "job-1", "0",
                    io.gridledger.chaincode.domain.Commitments.commitment(digest('c'), Consortium.SALT));
            var byClient = net.submit(net.client, "CommitResult", "job-1", "0",
                    io.gridledger.chaincode.domain.Commitments.commitment(digest('c'), Consortium.SALT));

            assertThat(foreign.errorCode()).isEqualTo("FORBIDDEN");
            assertThat(byClient.errorCode()).isEqualTo("FORBIDDEN");
        }
    }

    @Nested
    class WhenAssigned {

        @Test
        void job_and_escrow_keys_require_a_majority_including_an_org_that_is_not_paid() throws Exception {
            net.submitJob("job-1", 2, 2, 20);
            var matched = net.match("job-1");

            var policy = matched.validationParameterWrites().get(Keys.job("job-1"));
            assertThat(policy).isNotNull();
            assertThat(matched.validationParameterWrites().get(Keys.escrow("job-1"))).isEqualTo(policy);
            var envelope = SignaturePolicyEnvelope.parseFrom(policy);
            assertThat(envelope.getIdentitiesCount()).isEqualTo(3);
            // Org3MSP (index 2) is the only org the job does not pay: it and one other org must endorse.
            var branches = envelope.getRule().getNOutOf();
            assertThat(branches.getN()).isEqualTo(1);
            assertThat(branches.getRulesList()).singleElement().satisfies(branch -> {
                assertThat(branch.getNOutOf().getN()).isEqualTo(2);
                assertThat(branch.getNOutOf().getRules(0).getSignedBy()).isEqualTo(2);
                var others = branch.getNOutOf().getRules(1).getNOutOf();
                assertThat(others.getN()).isEqualTo(1);
                assertThat(others.getRulesList()).extracting(r -> r.getSignedBy()).containsExactly(0, 1);
            });
        }

        @Test
        void replicas_go_to_providers_of_different_orgs_even_when_one_org_is_cheaper() {
            var cheapSameOrg = net.providerWithOffer(ORG1, "node1b", "offer-1b", 5, 1);
            net.submitJob("job-1", 2, 2, 20);

            var assignments = event(net.match("job-1")).get("assignments");

            assertThat(assignments.get(0).get("nodeId").asText()).isEqualTo(account(cheapSameOrg));
            assertThat(assignments.get(1).get("nodeId").asText()).isEqualTo(account(p2));
        }
    }

    @Nested
    class WhenQuorumDisagrees {

        @Test
        void the_majority_wins_and_the_dissenter_is_slashed_and_unpaid() {
            var p3 = net.providerWithOffer(ORG3, "node3", "offer-3", 14, 1);
            net.submitJob("job-3", 3, 2, 20);
            net.match("job-3");
            net.commit(p1, "job-3", 0, digest('c'));
            net.commit(p2, "job-3", 1, digest('c'));
            net.commit(p3, "job-3", 2, digest('e'));
            long p3Before = net.balance(p3);

            net.reveal(p3, "job-3", 2, digest('e'), 90);
            net.reveal(p1, "job-3", 0, digest('c'), 100);
            var deciding = net.reveal(p2, "job-3", 1, digest('c'), 100);

            assertThat(deciding.event().orElseThrow().name()).isEqualTo("JobCompleted");
            var job = net.job("job-3");
            assertThat(job.at("/replicas/2/verdict").asText()).isEqualTo("DISSENTED");
            assertThat(job.at("/job/outcome/slashed/" + account(p3).replace("/", "~1")).asLong()).isEqualTo(100);
            assertThat(net.balance(p3)).isEqualTo(p3Before);
            assertThat(net.query("GetOffer", "offer-3").get("stake").asLong()).isEqualTo(900);
            assertThat(net.query("GetOffer", "offer-3").get("status").asText()).isEqualTo("PAUSED");
            assertThat(net.query("GetNodeReputation", account(p3)).at("/record/dissented").asLong()).isEqualTo(1);
        }

        @Test
        void a_job_whose_results_cannot_reach_quorum_fails_and_refunds_the_client() {
            net.submitJob("job-2", 2, 2, 20);
            net.match("job-2");
            net.commit(p1, "job-2", 0, digest('c'));
            net.commit(p2, "job-2", 1, digest('d'));
            net.reveal(p1, "job-2", 0, digest('c'), 100);

            var deciding = net.reveal(p2, "job-2", 1, digest('d'), 100);

            assertThat(deciding.event().orElseThrow().name()).isEqualTo("JobFailed");
            assertThat(net.job("job-2").at("/job/outcome/reason").asText()).startsWith("NO_CONSENSUS");
            assertThat(net.balance(net.client)).isEqualTo(100_000);
        }
    }

    @Nested
    class WhenAProviderIsLate {

        @Test
        void expiry_slashes_the_late_node_and_reassigns_its_replica_to_another_org() {
            var p3 = net.providerWithOffer(ORG3, "node3", "offer-3", 14, 1);
            net.submitJob("job-1", 2, 2, 20);
            net.match("job-1");
            net.commit(p1, "job-1", 0, digest('c'));

            var tooEarly = net.submit(net.admin2, "ExpireJob", "job-1");
            assertThat(tooEarly.errorCode()).isEqualTo("WRONG_STATE");

            net.advance(Duration.ofSeconds(600 + Consortium.GRACE + 1));
            var expired = net.ok(net.admin2, "ExpireJob", "job-1");

            var reassigned = event(expired).get("assignments");
            assertThat(reassigned).hasSize(1);
            assertThat(reassigned.get(0).get("nodeId").asText()).isEqualTo(account(p3));
            assertThat(reassigned.get(0).get("attempt").asInt()).isEqualTo(2);
            assertThat(net.query("GetNodeReputation", account(p2)).at("/record/timedOut").asLong()).isEqualTo(1);
            assertThat(net.query("GetOffer", "offer-2").get("stake").asLong()).isEqualTo(900);

            net.commit(p3, "job-1", 1, digest('c'));
            net.reveal(p1, "job-1", 0, digest('c'), 100);
            var done = net.reveal(p3, "job-1", 1, digest('c'), 100);
            assertThat(done.event().orElseThrow().name()).isEqualTo("JobCompleted");
        }

        @Test
        void without_time_left_to_reassign_the_job_fails_and_the_client_is_refunded() {
            long deadline = Consortium.START.getEpochSecond() + 700;
            net.ok(net.client, "SubmitJob", Consortium.jobJson("job-1", 2, 2, 20, 600, deadline));
            net.match("job-1");
            net.commit(p1, "job-1", 0, digest('c'));

            net.advance(Duration.ofSeconds(600 + Consortium.GRACE + 1));
            var expired = net.ok(net.admin3, "ExpireJob", "job-1");

            assertThat(expired.event().orElseThrow().name()).isEqualTo("JobFailed");
            assertThat(net.job("job-1").at("/job/outcome/reason").asText()).startsWith("NOT_ENOUGH_PROVIDERS");
            assertThat(net.balance(net.client)).isEqualTo(100_000);
        }

        @Test
        void a_silent_replica_after_the_reveal_window_is_a_no_show_and_the_quorum_still_completes() {
            var p3 = net.providerWithOffer(ORG3, "node3", "offer-3", 14, 1);
            net.submitJob("job-3", 3, 2, 20);
            net.match("job-3");
            net.commit(p1, "job-3", 0, digest('c'));
            net.commit(p2, "job-3", 1, digest('c'));
            net.commit(p3, "job-3", 2, digest('c'));
            net.reveal(p1, "job-3", 0, digest('c'), 100);
            net.reveal(p2, "job-3", 1, digest('c'), 100);
            assertThat(net.job("job-3").at("/job/status").asText()).isEqualTo("RUNNING");

            net.advance(Duration.ofSeconds(600 + Consortium.GRACE + Consortium.REVEAL_WINDOW + 1));
            var expired = net.ok(net.admin1, "ExpireJob", "job-3");

            assertThat(expired.event().orElseThrow().name()).isEqualTo("JobCompleted");
            assertThat(net.job("job-3").at("/replicas/2/verdict").asText()).isEqualTo("NO_SHOW");
        }
    }

    @Nested
    class WhenCancelled {

        @Test
        void a_queued_job_is_refunded_in_full() {
            net.submitJob("job-1", 2, 2, 20);

            var cancelled = net.ok(net.client, "CancelJob", "job-1");

            assertThat(cancelled.event().orElseThrow().name()).isEqualTo("JobCancelled");
            assertThat(net.balance(net.client)).isEqualTo(100_000);
        }

        @Test
        void a_running_job_pays_providers_for_the_time_they_already_worked() {
            net.submitJob("job-1", 2, 2, 20);
            net.match("job-1");
            net.advance(Duration.ofSeconds(100));

            net.ok(net.client, "CancelJob", "job-1");

            assertThat(net.balance(p1)).isEqualTo(9 * Consortium.MIN_STAKE + 2_250);
            assertThat(net.balance(p2)).isEqualTo(9 * Consortium.MIN_STAKE + 2_700);
            assertThat(net.balance(net.client)).isEqualTo(100_000 - 2_250 - 2_700 - 123);
            assertThat(net.ledger.state(Keys.busySlot("offer-1", 0))).isEmpty();
        }

        @Test
        void only_the_client_or_its_org_admin_may_cancel() {
            net.submitJob("job-1", 2, 2, 20);

            assertThat(net.submit(net.admin1, "CancelJob", "job-1").errorCode()).isEqualTo("FORBIDDEN");
            assertThat(net.submit(p1, "CancelJob", "job-1").errorCode()).isEqualTo("FORBIDDEN");
            assertThat(net.submit(net.admin3, "CancelJob", "job-1").ok()).isTrue();
        }
    }
}
