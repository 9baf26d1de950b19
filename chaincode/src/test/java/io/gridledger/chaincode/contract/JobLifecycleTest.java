package io.gridledger.chaincode.contract;

import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.testing.Identity;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.gridledger.chaincode.contract.Consortium.ORG1;
import static io.gridledger.chaincode.contract.Consortium.ORG2;
import static io.gridledger.chaincode.contract.Consortium.ORG3;
import static io.gridledger.chaincode.contract.Consortium.account;
import static io.gridledger.chaincode.contract.Consortium.assignedNodes;
import static io.gridledger.chaincode.contract.Consortium.digest;
import static io.gridledger.chaincode.contract.Consortium.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole job lifecycles through the real contract router: submit → match → commit → reveal → settle → release, with
 * disagreement and tie-breaking, timeouts, reassignment and cancellation.
 *
 * <p>Figures: the test job needs 2,000 millicores + 1,024 MiB + 100 MiB = 2,249,956 µRU. At price 10 for 100 s that
 * costs ceil(2,249.956) = 2,250 credits; at 12, 2,700. Two replicas with quorum 2 may need one tie-breaker, so the
 * escrow at max price 20 for 600 s is 3 × 27,000 + 2.5 % = 83,025. Providers commit 120 s after assignment, so the
 * ledger saw 120 s of work and a reported 100 s is paid in full.
 */
class JobLifecycleTest {

    static final long ESCROW_2_REPLICAS = 83_025;
    static final long FUNDS = 200_000;
    static final Duration WORK = Duration.ofSeconds(120);

    Consortium net;
    Identity p1;
    Identity p2;

    @BeforeEach
    void market() {
        net = Consortium.started();
        var providers = net.twoProviders();
        p1 = providers.get(0);
        p2 = providers.get(1);
        net.fund(net.client, FUNDS);
    }

    /** Submits and matches a 2-replica job and lets its replicas work for {@link #WORK}. */
    private void runningJob(String jobId) {
        net.submitJob(jobId, 2, 2, 20);
        net.match(jobId);
        net.advance(WORK);
    }

    @Test
    void submitting_escrows_the_maximum_cost_of_every_possible_replica_and_queues_the_job() {
        var submitted = net.submitJob("job-1", 2, 2, 20);

        assertThat(submitted.event().orElseThrow().name()).isEqualTo("JobSubmitted");
        var job = net.job("job-1");
        assertThat(job.at("/job/status").asText()).isEqualTo("QUEUED");
        assertThat(job.at("/job/spec/verification/maxReplicas").asInt()).isEqualTo(3);
        assertThat(job.get("escrow").asLong()).isEqualTo(ESCROW_2_REPLICAS);
        assertThat(net.balance(net.client)).isEqualTo(FUNDS - ESCROW_2_REPLICAS);
    }

    @Test
    void submitting_does_not_read_or_write_the_market() {
        var submitted = net.submitJob("job-1", 2, 2, 20);

        assertThat(submitted.writes().keySet()).noneMatch(key -> key.startsWith("\u0000market\u0000")
                || key.startsWith("\u0000slots\u0000") || key.startsWith("\u0000offer"));
    }

    @Nested
    class WhenReplicasAgree {

        @Test
        void reveals_only_record_and_the_settlement_completes_the_job_and_splits_the_escrow() {
            net.submitJob("job-1", 2, 2, 20);
            var matched = net.match("job-1");
            assertThat(assignedNodes(matched)).containsExactly(Map.entry(0, account(p1)), Map.entry(1, account(p2)));
            assertThat(net.job("job-1").at("/job/status").asText()).isEqualTo("RUNNING");
            net.advance(WORK);

            net.commit(p1, "job-1", 0, digest('c'));
            net.commit(p2, "job-1", 1, digest('c'));
            assertThat(net.reveal(p1, "job-1", 0, digest('c'), 100).event().orElseThrow().name()).isEqualTo("ResultRevealed");
            assertThat(net.reveal(p2, "job-1", 1, digest('c'), 100).event().orElseThrow().name()).isEqualTo("ResultRevealed");
            assertThat(net.job("job-1").at("/job/status").asText()).isEqualTo("RUNNING");

            var settled = net.settle("job-1");

            assertThat(settled.event().orElseThrow().name()).isEqualTo("JobCompleted");
            var job = net.job("job-1");
            assertThat(job.at("/job/status").asText()).isEqualTo("COMPLETED");
            assertThat(job.at("/job/outcome/fingerprint").asText())
                    .isEqualTo(io.gridledger.chaincode.domain.Commitments.fingerprint("job-1", digest('c')));
            assertThat(job.at("/job/outcome/runtimeSeconds").asLong()).isEqualTo(100);
            assertThat(job.get("escrow").asLong()).isZero();
            assertThat(net.balance(p1)).isEqualTo(10 * Consortium.MIN_STAKE - 2 * Consortium.MIN_STAKE + 2_250);
            assertThat(net.balance(p2)).isEqualTo(10 * Consortium.MIN_STAKE - 2 * Consortium.MIN_STAKE + 2_700);
            assertThat(net.balance(Keys.TREASURY)).isEqualTo(123);
            assertThat(net.balance(net.client)).isEqualTo(FUNDS - 2_250 - 2_700 - 123);
            assertThat(job.at("/replicas/0/verdict").asText()).isEqualTo("AGREED");
        }

        @Test
        void agreeing_providers_of_other_orgs_than_the_client_earn_reputation_weighted_by_their_pay() {
            runningJob("job-1");
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'c'), 100);
            net.settle("job-1");

            var reputation = net.query("GetNodeReputation", account(p1));
            assertThat(reputation.at("/record/earned/" + ORG3 + "/value").asLong()).isEqualTo(2_250);
            assertThat(reputation.at("/record/earned/" + ORG3 + "/agreed").asLong()).isEqualTo(1);
            assertThat(reputation.get("positiveEvidence").asDouble()).isEqualTo(2.25);
            assertThat(net.query("GetOrgReputation", ORG2).at("/record/earned/" + ORG3 + "/agreed").asLong()).isEqualTo(1);
        }

        @Test
        void slots_return_to_the_market_only_when_released_after_the_end_event() {
            runningJob("job-1");
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'c'), 100);
            var settled = net.settle("job-1");
            assertThat(settled.writes().keySet()).noneMatch(key -> key.startsWith("\u0000market\u0000")
                    || key.startsWith("\u0000slots\u0000"));
            assertThat(net.query("GetOffer", "offer-1").get("status").asText()).isEqualTo("ACTIVE");

            var released = net.release("job-1");

            assertThat(event(released).get("released")).extracting(n -> n.asText()).containsExactly("job-1");
            assertThat(net.ledger.stateString(Keys.slots("offer-1")).orElseThrow()).isEqualTo("{\"busy\":{}}");
            assertThat(event(net.release("job-1")).has("released")).isFalse();
        }

        @Test
        void a_reveal_before_every_replica_committed_is_refused() {
            runningJob("job-1");
            net.commit(p1, "job-1", 0, digest('c'));

            var early = net.submit(p1, "RevealResult", "job-1", "0",
                    io.gridledger.chaincode.domain.Commitments.fingerprint("job-1", digest('c')), Consortium.saltFor(p1), "100");

            assertThat(early.errorCode()).isEqualTo("WRONG_STATE");
            assertThat(early.message()).contains("has not committed");
            assertThat(early.writes()).isEmpty();
        }

        @Test
        void a_settlement_before_the_reveals_are_in_is_refused() {
            runningJob("job-1");
            net.commit(p1, "job-1", 0, digest('c'));
            net.commit(p2, "job-1", 1, digest('c'));
            net.reveal(p1, "job-1", 0, digest('c'), 100);

            var early = net.submit(net.admin1, "SettleJob", "job-1");

            assertThat(early.errorCode()).isEqualTo("WRONG_STATE");
            assertThat(early.message()).contains("waiting for 1 reveal(s)");
        }

        @Test
        void a_reveal_that_does_not_open_the_commitment_is_refused() {
            runningJob("job-1");
            net.commit(p1, "job-1", 0, digest('c'));
            net.commit(p2, "job-1", 1, digest('c'));

            var lie = net.submit(p1, "RevealResult", "job-1", "0",
                    io.gridledger.chaincode.domain.Commitments.fingerprint("job-1", digest('d')), Consortium.saltFor(p1), "100");

            assertThat(lie.errorCode()).isEqualTo("COMMITMENT_MISMATCH");
        }

        @Test
        void only_the_assigned_node_can_commit_or_reveal_its_replica() {
            runningJob("job-1");

            var foreign = net.submit(p2, "CommitResult", "job-1", "0", Consortium.commitmentOf(p2, "job-1", 0, digest('c')));
            var byClient = net.submit(net.client, "CommitResult", "job-1", "0", Consortium.commitmentOf(p1, "job-1", 0, digest('c')));

            assertThat(foreign.errorCode()).isEqualTo("FORBIDDEN");
            assertThat(byClient.errorCode()).isEqualTo("FORBIDDEN");
        }
    }

    @Nested
    class WhenAssigned {

        @Test
        void job_and_escrow_keys_need_every_org_when_the_client_and_payees_cover_the_consortium() throws Exception {
            net.submitJob("job-1", 2, 2, 20);
            var matched = net.match("job-1");

            var policy = matched.validationParameterWrites().get(Keys.job("job-1"));
            assertThat(policy).isNotNull();
            assertThat(matched.validationParameterWrites().get(Keys.escrow("job-1"))).isEqualTo(policy);
            var envelope = SignaturePolicyEnvelope.parseFrom(policy);
            // client Org3, payees Org1 and Org2: no org is independent, so all three must endorse
            assertThat(envelope.getRule().getNOutOf().getN()).isEqualTo(3);
            assertThat(envelope.getRule().getNOutOf().getRulesList()).extracting(r -> r.getSignedBy()).containsExactly(0, 1, 2);
        }

        @Test
        void replicas_go_to_providers_of_different_orgs_even_when_one_org_is_cheaper() {
            var cheapSameOrg = net.providerWithOffer(ORG1, "node1b", "offer-1b", 5, 1);
            net.submitJob("job-1", 2, 2, 20);

            assertThat(assignedNodes(net.match("job-1")))
                    .containsExactly(Map.entry(0, account(cheapSameOrg)), Map.entry(1, account(p2)));
        }
    }

    @Nested
    class WhenQuorumDisagrees {

        @Test
        void the_majority_wins_and_the_dissenter_loses_its_slots_share_of_collateral_and_is_unpaid() {
            var p3 = net.providerWithOffer(ORG3, "node3", "offer-3", 14, 1);
            net.submitJob("job-3", 3, 2, 20);
            net.match("job-3");
            net.advance(WORK);
            net.commit(p1, "job-3", 0, digest('c'));
            net.commit(p2, "job-3", 1, digest('c'));
            net.commit(p3, "job-3", 2, digest('e'));
            long p3Before = net.balance(p3);
            net.reveal(p3, "job-3", 2, digest('e'), 90);
            net.reveal(p1, "job-3", 0, digest('c'), 100);
            net.reveal(p2, "job-3", 1, digest('c'), 100);

            var deciding = net.settle("job-3");

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
        void a_split_pair_gets_a_tie_breaker_on_another_org_which_decides_and_the_liar_pays() {
            var p3 = net.providerWithOffer(ORG3, "node3", "offer-3", 14, 1);
            runningJob("job-2");
            net.commitAndReveal("job-2", Map.of(p1, 'c', p2, 'd'), 100);

            var split = net.settle("job-2");

            assertThat(split.event().orElseThrow().name()).isEqualTo("TieBreakRequested");
            assertThat(net.job("job-2").at("/job/phase").asText()).isEqualTo("TIEBREAK");
            var tieBreak = net.match("job-2");
            assertThat(assignedNodes(tieBreak)).containsExactly(Map.entry(2, account(p3)));
            assertThat(event(tieBreak).at("/assignments/0/round").asInt()).isEqualTo(1);
            net.advance(WORK);
            net.commit(p3, "job-2", 2, digest('c'));
            net.revealDigest(p3, "job-2", 2, digest('c'), 100);

            var decided = net.settle("job-2");

            assertThat(decided.event().orElseThrow().name()).isEqualTo("JobCompleted");
            var job = net.job("job-2");
            assertThat(job.at("/replicas/0/verdict").asText()).isEqualTo("AGREED");
            assertThat(job.at("/replicas/1/verdict").asText()).isEqualTo("DISSENTED");
            assertThat(job.at("/replicas/2/verdict").asText()).isEqualTo("AGREED");
            assertThat(job.at("/job/outcome/payments").has(account(p2))).isFalse();
            assertThat(job.at("/job/outcome/slashed/" + account(p2).replace("/", "~1")).asLong()).isEqualTo(100);
            assertThat(net.balance(net.client) + 2_250 + 3_150 + 135).isEqualTo(FUNDS);
        }

        @Test
        void a_tie_breaker_cannot_side_with_a_revealed_fingerprint_without_the_digest_behind_it() {
            var p3 = net.providerWithOffer(ORG3, "node3", "offer-3", 14, 1);
            runningJob("job-2");
            net.commitAndReveal("job-2", Map.of(p1, 'c', p2, 'd'), 100);
            net.settle("job-2");
            net.match("job-2");
            // The lazy tie-breaker copies the public fingerprint of replica 0 instead of computing the digest.
            var copied = net.job("job-2").at("/replicas/0/reveal/fingerprint").asText();
            net.ok(p3, "CommitResult", "job-2", "2", io.gridledger.chaincode.domain.Commitments.commitment("job-2", 2,
                    account(p3), io.gridledger.chaincode.domain.Commitments.fingerprint("job-2", copied), Consortium.saltFor(p3)));

            var reveal = net.submit(p3, "RevealResult", "job-2", "2", copied, Consortium.saltFor(p3), "100");

            // It committed to fingerprint(copied), which no honest replica produced; revealing the copied fingerprint
            // as a digest opens its commitment but agrees with nobody, and any digest matching replica 0 is unknown to it.
            assertThat(reveal.ok()).isTrue();
            var outcome = event(net.settle("job-2"));
            assertThat(outcome.get("type").asText()).isEqualTo("JobFailed");
            assertThat(net.job("job-2").at("/replicas/2/verdict").asText()).isEqualTo("DISPUTED");
        }

        @Test
        void without_room_for_a_tie_breaker_the_split_fails_refunds_the_client_and_counts_against_both_sides() {
            net.ok(net.client, "SubmitJob", Consortium.jobJson("job-2",
                    Map.of("mode", "REPLICATED", "replicas", 2, "quorum", 2, "maxReplicas", 2), 20, 600,
                    Consortium.START.getEpochSecond() + 86_400));
            net.match("job-2");
            net.advance(WORK);
            net.commitAndReveal("job-2", Map.of(p1, 'c', p2, 'd'), 100);

            var deciding = net.settle("job-2");

            assertThat(deciding.event().orElseThrow().name()).isEqualTo("JobFailed");
            assertThat(net.job("job-2").at("/job/outcome/reason").asText()).startsWith("NO_CONSENSUS");
            assertThat(net.balance(net.client)).isEqualTo(FUNDS);
            assertThat(net.query("GetNodeReputation", account(p1)).at("/record/disputed").asLong()).isEqualTo(1);
            assertThat(net.query("GetNodeReputation", account(p2)).at("/record/disputed").asLong()).isEqualTo(1);
            assertThat(net.query("GetOffer", "offer-1").get("stake").asLong()).isEqualTo(2 * Consortium.MIN_STAKE);
        }
    }

    @Nested
    class WhenAProviderIsLate {

        private final Duration pastCommitDeadline = Duration.ofSeconds(600 + Consortium.GRACE + Consortium.TOLERANCE + 1);

        @Test
        void expiry_slashes_the_late_node_and_reassigns_its_replica_to_another_org() {
            var p3 = net.providerWithOffer(ORG3, "node3", "offer-3", 14, 1);
            runningJob("job-1");
            net.commit(p1, "job-1", 0, digest('c'));

            assertThat(net.submit(net.admin2, "ExpireJob", "job-1").errorCode()).isEqualTo("WRONG_STATE");

            net.advance(pastCommitDeadline);
            var expired = net.ok(net.admin2, "ExpireJob", "job-1");

            assertThat(assignedNodes(expired)).containsExactly(Map.entry(1, account(p3)));
            assertThat(event(expired).at("/assignments/0/attempt").asInt()).isEqualTo(2);
            assertThat(net.query("GetNodeReputation", account(p2)).at("/record/noShows").asLong()).isEqualTo(1);
            assertThat(net.query("GetOffer", "offer-2").get("stake").asLong()).isEqualTo(1_900);

            net.advance(WORK);
            net.commit(p3, "job-1", 1, digest('c'));
            net.reveal(p1, "job-1", 0, digest('c'), 100);
            net.reveal(p3, "job-1", 1, digest('c'), 100);
            assertThat(net.settle("job-1").event().orElseThrow().name()).isEqualTo("JobCompleted");
        }

        @Test
        void without_time_left_to_reassign_the_job_fails_and_the_client_is_refunded() {
            long deadline = Consortium.START.getEpochSecond() + 600 + Consortium.GRACE + 10;
            net.ok(net.client, "SubmitJob", Consortium.jobJson("job-1", 2, 2, 20, 600, deadline));
            net.match("job-1");
            net.advance(WORK);
            net.commit(p1, "job-1", 0, digest('c'));

            net.advance(pastCommitDeadline);
            var expired = net.ok(net.admin3, "ExpireJob", "job-1");

            assertThat(expired.event().orElseThrow().name()).isEqualTo("JobFailed");
            assertThat(net.job("job-1").at("/job/outcome/reason").asText()).startsWith("NOT_ENOUGH_PROVIDERS");
            assertThat(net.balance(net.client)).isEqualTo(FUNDS);
        }

        @Test
        void a_silent_replica_after_the_reveal_window_is_a_no_show_and_the_quorum_still_completes() {
            var p3 = net.providerWithOffer(ORG3, "node3", "offer-3", 14, 1);
            net.submitJob("job-3", 3, 2, 20);
            net.match("job-3");
            net.advance(WORK);
            net.commit(p1, "job-3", 0, digest('c'));
            net.commit(p2, "job-3", 1, digest('c'));
            net.commit(p3, "job-3", 2, digest('c'));
            net.reveal(p1, "job-3", 0, digest('c'), 100);
            net.reveal(p2, "job-3", 1, digest('c'), 100);
            assertThat(net.submit(net.admin1, "SettleJob", "job-3").errorCode()).isEqualTo("WRONG_STATE");

            net.advance(Duration.ofSeconds(Consortium.REVEAL_WINDOW + Consortium.TOLERANCE + 1));
            var settled = net.settle("job-3");

            assertThat(settled.event().orElseThrow().name()).isEqualTo("JobCompleted");
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
            assertThat(net.balance(net.client)).isEqualTo(FUNDS);
        }

        @Test
        void a_running_job_pays_providers_for_the_time_they_already_worked() {
            net.submitJob("job-1", 2, 2, 20);
            net.match("job-1");
            net.advance(Duration.ofSeconds(100));

            net.ok(net.client, "CancelJob", "job-1");

            assertThat(net.balance(p1)).isEqualTo(8 * Consortium.MIN_STAKE + 2_250);
            assertThat(net.balance(p2)).isEqualTo(8 * Consortium.MIN_STAKE + 2_700);
            assertThat(net.balance(net.client)).isEqualTo(FUNDS - 2_250 - 2_700 - 123);
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
