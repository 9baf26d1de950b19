package io.gridledger.chaincode.contract;

import io.gridledger.chaincode.domain.Commitments;
import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Pricing;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.testing.Identity;
import io.gridledger.chaincode.testing.SignaturePolicyEvaluator;
import io.gridledger.chaincode.testing.TxResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.gridledger.chaincode.contract.Consortium.ORG1;
import static io.gridledger.chaincode.contract.Consortium.ORG2;
import static io.gridledger.chaincode.contract.Consortium.ORG3;
import static io.gridledger.chaincode.contract.Consortium.ORGS;
import static io.gridledger.chaincode.contract.Consortium.START;
import static io.gridledger.chaincode.contract.Consortium.TOLERANCE;
import static io.gridledger.chaincode.contract.Consortium.account;
import static io.gridledger.chaincode.contract.Consortium.assignedNodes;
import static io.gridledger.chaincode.contract.Consortium.digest;
import static io.gridledger.chaincode.contract.Consortium.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the contract against a member that runs the unmodified gateway and agent but chooses its own proposal
 * contents: timestamps, offers, commitments, reveals, parameters. In every test the attack is refused (with nothing
 * written) or made worthless, and every credit is accounted for: balances, credit entries, escrows and stakes add up
 * to what the orgs issued.
 *
 * <p>Figures: the test job needs 2,249,956 µRU; one second of it costs 22.49956 credits per unit of price.
 */
class HardeningTest {

    static final long MICRO_UNITS = 2_249_956;

    Consortium net;
    Identity p1;
    Identity p2;

    @BeforeEach
    void market() {
        net = Consortium.started();
        var providers = net.twoProviders();
        p1 = providers.get(0);
        p2 = providers.get(1);
        net.fund(net.client, 500_000);
    }

    @AfterEach
    void creditsAreConserved() {
        assertThat(net.totalCredits()).as("balances + entries + escrows + stakes").isEqualTo(net.issuedCredits());
    }

    private static void assertRefused(TxResult result, String code) {
        assertThat(result.ok()).as("expected %s to be refused", result).isFalse();
        assertThat(result.errorCode()).isEqualTo(code);
        assertThat(result.writes()).as("a refused transaction writes nothing").isEmpty();
    }

    private static long cost(long price, long seconds) {
        return Pricing.cost(price, MICRO_UNITS, seconds);
    }

    private Instant now() {
        return net.ledger.now();
    }

    /** Submits and matches a job with two replicas on p1 (index 0) and p2 (index 1). */
    private void runningPair(String jobId) {
        net.submitJob(jobId, 2, 2, 20);
        assertThat(assignedNodes(net.match(jobId))).containsValues(account(p1), account(p2));
    }

    @Nested
    class Rule01_TimeAMemberCannotChoose {

        @Test
        void a_proposal_stamped_beyond_the_clock_tolerance_is_refused_by_the_endorsing_peer() {
            var backdated = net.ledger.proposal(net.admin1, "Deposit", account(p1), "5")
                    .withTimestamp(now().minus(Duration.ofHours(1))).submit();
            var forwardDated = net.ledger.proposal(net.admin1, "Deposit", account(p1), "5")
                    .withTimestamp(now().plusSeconds(TOLERANCE + 1)).submit();
            var withinTolerance = net.ledger.proposal(net.admin1, "Deposit", account(p1), "5")
                    .withTimestamp(now().minusSeconds(TOLERANCE)).submit();

            assertRefused(backdated, "CLOCK_SKEW");
            assertThat(backdated.message()).contains("3600 s behind this peer's clock").contains("tolerates 30 s");
            assertRefused(forwardDated, "CLOCK_SKEW");
            assertThat(forwardDated.message()).contains("ahead of");
            assertThat(withinTolerance.ok()).isTrue();
        }

        @Test
        void queries_are_answered_whatever_the_timestamp() {
            var query = net.ledger.proposal(net.admin1, "GetParameters").withTimestamp(now().minus(Duration.ofDays(3))).evaluate();

            assertThat(query.ok()).isTrue();
        }

        @Test
        void a_backdated_cancel_cannot_erase_pay_for_work_the_ledger_saw() {
            runningPair("job-1");
            net.advance(Duration.ofSeconds(300));
            net.commit(p1, "job-1", 0, digest('c'));

            var farBack = net.ledger.proposal(net.client, "CancelJob", "job-1").withTimestamp(START).submit();
            assertRefused(farBack, "CLOCK_SKEW");
            var asFarAsAllowed = net.ledger.proposal(net.client, "CancelJob", "job-1")
                    .withTimestamp(now().minusSeconds(TOLERANCE)).submit();

            assertThat(asFarAsAllowed.ok()).isTrue();
            var payments = net.job("job-1").at("/job/outcome/payments");
            // p1 committed after 300 s: paid all 300 whatever the cancel's stamp; p2, still working, loses at most the
            // tolerance
            assertThat(payments.get(account(p1)).asLong()).isEqualTo(cost(10, 300));
            assertThat(payments.get(account(p2)).asLong()).isEqualTo(cost(12, 300 - TOLERANCE));
        }

        @Test
        void a_forward_dated_expiry_cannot_time_out_an_honest_provider_before_its_deadline() {
            runningPair("job-1");
            long commitDeadline = net.job("job-1").at("/replicas/0/assignment/commitDeadline").asLong();
            net.ledger.setTime(Instant.ofEpochSecond(commitDeadline - 5));

            var earlyExpiry = net.ledger.proposal(net.admin2, "ExpireJob", "job-1")
                    .withTimestamp(Instant.ofEpochSecond(commitDeadline - 5 + TOLERANCE)).submit();
            var furtherAhead = net.ledger.proposal(net.admin2, "ExpireJob", "job-1")
                    .withTimestamp(Instant.ofEpochSecond(commitDeadline - 5 + TOLERANCE + 1)).submit();

            assertRefused(earlyExpiry, "WRONG_STATE");
            assertRefused(furtherAhead, "CLOCK_SKEW");
            net.commit(p1, "job-1", 0, digest('c'));
            net.commit(p2, "job-1", 1, digest('c'));
            assertThat(net.query("GetNodeReputation", account(p1)).at("/record/noShows").asLong()).isZero();
        }

        @Test
        void a_job_never_records_a_time_before_its_last_change() {
            net.submitJob("job-1", 2, 2, 20);
            net.advance(Duration.ofSeconds(100));
            net.match("job-1");
            long assignedAt = now().getEpochSecond();

            net.ledger.proposal(net.client, "CancelJob", "job-1").withTimestamp(now().minusSeconds(TOLERANCE)).submit();

            var job = net.job("job-1");
            assertThat(job.at("/job/updatedAt").asLong()).isEqualTo(assignedAt);
            assertThat(job.at("/job/outcome/payments").size()).isZero();
        }
    }

    @Nested
    class Rule02_ReplicasOnIndependentOrgs {

        @Test
        void an_org_offering_the_two_cheapest_nodes_gets_only_one_replica_while_another_org_has_a_slot() {
            var cheapTwin = net.providerWithOffer(ORG1, "node1b", "offer-1b", 1, 1);
            net.submitJob("job-1", 2, 2, 20);

            var nodes = assignedNodes(net.match("job-1")).values();

            assertThat(nodes).containsExactly(account(cheapTwin), account(p2));
        }

        @Test
        void without_the_clients_leave_a_job_waits_rather_than_run_twice_on_one_org() {
            var fresh = Consortium.started();
            fresh.providerWithOffer(ORG1, "a", "offer-a", 10, 1);
            fresh.providerWithOffer(ORG1, "b", "offer-b", 10, 1);
            fresh.fund(fresh.client, 500_000);
            fresh.submitJob("job-1", 2, 2, 20);

            fresh.match("job-1");

            assertThat(fresh.job("job-1").at("/job/unmatched/reason").asText()).isEqualTo("DIVERSITY");
            assertThat(fresh.totalCredits()).isEqualTo(fresh.issuedCredits());
        }
    }

    @Nested
    class Rule03_PayOnlyForTimeThatPassed {

        @Test
        void replicas_claiming_more_time_than_passed_are_paid_from_assignment_to_commit_and_the_client_never_beyond_its_escrow() {
            runningPair("job-1");
            long escrowed = net.job("job-1").at("/job/escrowed").asLong();
            net.advance(Duration.ofSeconds(50));
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'c'), 600);

            net.settle("job-1");

            var outcome = net.job("job-1").at("/job/outcome");
            assertThat(outcome.at("/payments/" + account(p1).replace("/", "~1")).asLong()).isEqualTo(cost(10, 50));
            assertThat(outcome.at("/payments/" + account(p2).replace("/", "~1")).asLong()).isEqualTo(cost(12, 50));
            assertThat(outcome.get("runtimeSeconds").asLong()).isEqualTo(50);
            long paid = cost(10, 50) + cost(12, 50);
            assertThat(paid + outcome.get("fee").asLong() + outcome.get("refund").asLong()).isEqualTo(escrowed);
        }
    }

    @Nested
    class Rule04_ReputationThatCannotBeFarmed {

        @Test
        void a_node_running_its_own_orgs_jobs_earns_nothing_however_many() {
            var bob = net.clientOf(ORG1, "bob");
            net.fund(bob, 500_000);
            for (int i = 0; i < 3; i++) {
                var jobId = "self-" + i;
                net.ok(bob, "SubmitJob", Consortium.jobJson(jobId, 1, 1, 20, 600, START.getEpochSecond() + 86_400));
                assertThat(assignedNodes(net.match(jobId))).containsValue(account(p1));
                net.advance(Duration.ofSeconds(100));
                net.commit(p1, jobId, 0, digest('c'));
                net.reveal(p1, jobId, 0, digest('c'), 100);
                net.settle(jobId);
                net.release(jobId);
            }

            var reputation = net.query("GetNodeReputation", account(p1));
            assertThat(reputation.get("score").asInt()).isZero();
            assertThat(reputation.at("/record/unrated").asLong()).isEqualTo(3);
            assertThat(reputation.at("/record/earned").size()).isZero();
        }

        @Test
        void work_that_paid_nothing_earns_nothing() {
            runningPair("job-1");
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'c'), 100);

            net.settle("job-1");

            assertThat(net.query("GetNodeReputation", account(p1)).at("/record/unrated").asLong()).isEqualTo(1);
            assertThat(net.query("GetNodeReputation", account(p1)).get("score").asInt()).isZero();
        }
    }

    @Nested
    class Rule05_TermsFixedAtSubmission {

        @Test
        void a_fee_and_slashing_raised_while_the_job_runs_leave_its_settlement_as_escrowed() {
            var p3 = net.providerWithOffer(ORG3, "node3", "offer-3", 14, 1);
            net.submitJob("job-1", 3, 2, 20);
            net.match("job-1");
            var greedy = Consortium.paramsMap(ORGS, Consortium.MIN_STAKE);
            greedy.put("feeBasisPoints", 5_000);
            greedy.put("slashBasisPoints", 10_000);
            long expires = now().getEpochSecond() + 600;
            net.ok(net.admin1, "ProposeParameters", "greedy", "1", Long.toString(expires), Consortium.json(greedy));
            net.ok(net.admin2, "ApproveProposal", "greedy");
            assertThat(net.query("GetParameters").get("feeBasisPoints").asInt()).isEqualTo(5_000);
            net.advance(Duration.ofSeconds(100));
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'c', p3, 'e'), 100);

            net.settle("job-1");

            var outcome = net.job("job-1").at("/job/outcome");
            long paid = cost(10, 100) + cost(12, 100);
            assertThat(outcome.get("fee").asLong()).isEqualTo(paid * Consortium.FEE_BPS / 10_000);
            assertThat(outcome.at("/slashed/" + account(p3).replace("/", "~1")).asLong()).isEqualTo(100);
        }
    }

    @Nested
    class Rule06_InterestedParties {

        @Test
        void neither_the_client_nor_its_provider_can_complete_a_job_without_the_independent_org() {
            net.submitJob("job-1", 1, 1, 20);
            var matched = net.match("job-1");
            var policy = matched.validationParameterWrites().get(Keys.job("job-1"));

            // client Org3, replica on Org1 (the cheapest): Org2 is the only org with nothing at stake
            assertThat(assignedNodes(matched)).containsValue(account(p1));
            assertThat(SignaturePolicyEvaluator.satisfiedBy(policy, List.of(ORG1, ORG3))).isFalse();
            assertThat(SignaturePolicyEvaluator.satisfiedBy(policy, List.of(ORG1, ORG1, ORG3, ORG3))).isFalse();
            assertThat(SignaturePolicyEvaluator.satisfiedBy(policy, List.of(ORG2, ORG3))).isTrue();
            assertThat(SignaturePolicyEvaluator.satisfiedBy(policy, List.of(ORG1, ORG2))).isTrue();
            assertThat(SignaturePolicyEvaluator.satisfiedBy(policy, List.of(ORG2))).isFalse();
            assertThat(matched.validationParameterWrites().get(Keys.escrow("job-1"))).isEqualTo(policy);
        }
    }

    @Nested
    class Rule07_NoSingleOrgDefinesTheConsortium {

        @Test
        void one_admins_approval_does_not_start_the_consortium() {
            var fresh = Consortium.uninitialised();

            var approved = fresh.ok(fresh.admin1, "InitLedger", Consortium.paramsJson(ORGS, 1_000));

            assertThat(approved.event().orElseThrow().name()).isEqualTo("BootstrapApproved");
            assertThat(fresh.ledger.evaluate(fresh.admin1, "GetParameters").errorCode()).isEqualTo("NOT_INITIALIZED");
        }

        @Test
        void an_admin_listing_only_its_own_org_gets_no_other_orgs_peer_to_endorse_it() {
            var fresh = Consortium.uninitialised();
            var alone = Consortium.paramsJson(List.of(ORG1), 1_000);

            // The chaincode-level policy is a majority of the channel's orgs: Org2's or Org3's peer must endorse too.
            assertRefused(fresh.ledger.proposal(fresh.admin1, "InitLedger", alone).onPeerOf(ORG2).submit(), "FORBIDDEN");
            assertRefused(fresh.ledger.proposal(fresh.admin1, "InitLedger", alone).onPeerOf(ORG3).submit(), "FORBIDDEN");
        }

        @Test
        void the_consortium_starts_with_a_majority_of_the_orgs_it_lists_endorsed_only_by_peers_of_approving_orgs() {
            var fresh = Consortium.uninitialised();
            var params = Consortium.paramsJson(ORGS, 1_000);
            fresh.ok(fresh.admin1, "InitLedger", params);

            var onUnapprovedPeer = fresh.ledger.proposal(fresh.admin2, "InitLedger", params).onPeerOf(ORG3).submit();
            var unknownPeer = fresh.ledger.proposal(fresh.admin2, "InitLedger", params).onPeerOf("").submit();
            var onApprovedPeer = fresh.ledger.proposal(fresh.admin2, "InitLedger", params).onPeerOf(ORG2).submit();

            assertRefused(onUnapprovedPeer, "FORBIDDEN");
            assertThat(onUnapprovedPeer.message()).contains("Org3MSP has not approved");
            assertRefused(unknownPeer, "FORBIDDEN");
            assertThat(onApprovedPeer.ok()).isTrue();
            assertThat(fresh.query("GetParameters").get("version").asLong()).isEqualTo(1);
        }

        @Test
        void approvals_count_only_for_the_exact_parameters_approved() {
            var fresh = Consortium.uninitialised();
            fresh.ok(fresh.admin1, "InitLedger", Consortium.paramsJson(ORGS, 1_000));

            var other = fresh.ok(fresh.admin2, "InitLedger", Consortium.paramsJson(ORGS, 2_000));

            assertThat(other.event().orElseThrow().name()).isEqualTo("BootstrapApproved");
            assertThat(fresh.ledger.evaluate(fresh.admin1, "GetParameters").errorCode()).isEqualTo("NOT_INITIALIZED");
        }
    }

    @Nested
    class Rule08_DisagreementCostsTheLiar {

        @Test
        void a_tie_breaker_never_runs_on_an_org_that_already_served_the_job_and_without_one_both_sides_are_disputed() {
            net.providerWithOffer(ORG1, "node1b", "offer-1b", 10, 1);
            runningPair("job-1");
            net.advance(Duration.ofSeconds(100));
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'd'), 100);
            net.settle("job-1");

            net.match("job-1");

            assertThat(net.job("job-1").at("/job/unmatched/reason").asText()).isEqualTo("DIVERSITY");
            net.advance(Duration.ofDays(2));
            assertThat(event(net.ok(net.admin3, "ExpireJob", "job-1")).get("type").asText()).isEqualTo("JobFailed");
            assertThat(net.query("GetNodeReputation", account(p1)).at("/record/disputed").asLong()).isEqualTo(1);
            assertThat(net.query("GetNodeReputation", account(p2)).at("/record/disputed").asLong()).isEqualTo(1);
            assertThat(net.job("job-1").at("/job/outcome/payments").size()).isZero();
        }
    }

    @Nested
    class Rule09_EveryAccountCanAlwaysReceive {

        @Test
        void a_member_flooding_a_providers_account_cannot_stop_its_payments() {
            var mallory = net.clientOf(ORG1, "mallory");
            long everythingOrg1MayIssue = Params.ORG_SUPPLY_LIMIT - 10 * Consortium.MIN_STAKE;
            net.ok(net.admin1, "Deposit", account(mallory), Long.toString(everythingOrg1MayIssue));
            net.ok(mallory, "Transfer", account(p2), Long.toString(everythingOrg1MayIssue));
            runningPair("job-1");
            net.advance(Duration.ofSeconds(100));
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'c'), 100);

            assertThat(event(net.settle("job-1")).get("type").asText()).isEqualTo("JobCompleted");
            assertThat(net.balance(p2)).isEqualTo(everythingOrg1MayIssue + 8 * Consortium.MIN_STAKE + cost(12, 100));
        }

        @Test
        void no_org_issues_more_than_its_share_of_the_credit_range() {
            var mallory = net.clientOf(ORG1, "mallory");
            long issued = net.issuedCredits();

            var tooMuch = net.submit(net.admin1, "Deposit", account(mallory), Long.toString(Params.ORG_SUPPLY_LIMIT));

            assertRefused(tooMuch, "INVALID_ARGUMENT");
            assertThat(tooMuch.message()).contains("above the limit of " + Params.ORG_SUPPLY_LIMIT + " per org");
            assertThat(net.issuedCredits()).isEqualTo(issued);
        }
    }

    @Nested
    class Rule10_StakeCoversWorkInFlight {

        @Test
        void the_stake_behind_busy_slots_cannot_be_lowered_and_every_no_show_costs_the_same_share_of_a_slot() {
            var fresh = Consortium.started();
            var node = fresh.providerWithOffer(ORG2, "node2", "offer-2", 12, 2);
            fresh.fund(fresh.client, 500_000);
            fresh.submitJob("job-a", 1, 1, 20);
            fresh.submitJob("job-b", 1, 1, 20);
            fresh.match("job-a", "job-b");

            fresh.ok(node, "UpdateOffer", Consortium.offerJson("offer-2", 12, 2, 3_000));
            assertRefused(fresh.submit(node, "UpdateOffer", Consortium.offerJson("offer-2", 12, 2, 2_500)), "WRONG_STATE");

            fresh.advance(Duration.ofSeconds(600 + Consortium.GRACE + TOLERANCE + 1));
            fresh.ok(fresh.admin1, "ExpireJob", "job-a");
            fresh.ok(fresh.admin1, "ExpireJob", "job-b");

            // each slot carried 2,000 / 2 = 1,000 when assigned: 10 % of it per no-show, not 10 % of what is left
            assertThat(fresh.query("GetOffer", "offer-2").get("stake").asLong()).isEqualTo(3_000 - 100 - 100);
            assertThat(fresh.totalCredits()).isEqualTo(fresh.issuedCredits());
        }
    }

    @Nested
    class Rule11_CommitmentsBoundToTheirAuthor {

        @Test
        void a_commitment_copied_ahead_of_its_author_blocks_nobody_and_cannot_be_opened_by_the_copier() {
            runningPair("job-1");
            net.advance(Duration.ofSeconds(100));
            var honest = Consortium.commitmentOf(p1, "job-1", 0, digest('c'));

            net.ok(p2, "CommitResult", "job-1", "1", honest);
            net.ok(p1, "CommitResult", "job-1", "0", honest);
            net.reveal(p1, "job-1", 0, digest('c'), 100);

            var copierReveal = net.submit(p2, "RevealResult", "job-1", "1", Commitments.fingerprint("job-1", digest('c')),
                    Consortium.saltFor(p1), "100");
            assertRefused(copierReveal, "COMMITMENT_MISMATCH");
        }
    }

    @Nested
    class Rule12_GovernanceThatCannotBeReplayed {

        @Test
        void a_proposal_amending_a_superseded_version_never_applies() {
            long expires = now().getEpochSecond() + 3_600;
            net.ok(net.admin1, "ProposeParameters", "cheap", "1", Long.toString(expires), Consortium.paramsJson(ORGS, 1));
            net.ok(net.admin2, "ProposeParameters", "dear", "1", Long.toString(expires), Consortium.paramsJson(ORGS, 5_000));
            net.ok(net.admin1, "ApproveProposal", "dear");

            var stale = net.submit(net.admin2, "ApproveProposal", "cheap");

            assertRefused(stale, "WRONG_STATE");
            assertThat(stale.message()).contains("the parameters are at version 2");
            assertThat(net.query("GetParameters").get("minStakePerSlot").asLong()).isEqualTo(5_000);
        }

        @Test
        void an_expired_proposal_cannot_be_approved() {
            long expires = now().getEpochSecond() + 60;
            net.ok(net.admin1, "ProposeParameters", "p", "1", Long.toString(expires), Consortium.paramsJson(ORGS, 5_000));
            net.advance(Duration.ofSeconds(61));

            assertRefused(net.submit(net.admin2, "ApproveProposal", "p"), "DEADLINE_PASSED");
        }
    }

    @Nested
    class Rule13_CancelPaysHonestWorkOnly {

        @Test
        void a_replica_past_its_commit_deadline_is_neither_paid_nor_spared_its_penalty_on_cancel() {
            runningPair("job-1");
            net.advance(Duration.ofSeconds(120));
            net.commit(p1, "job-1", 0, digest('c'));
            net.advance(Duration.ofSeconds(600 + Consortium.GRACE + TOLERANCE));

            net.ok(net.client, "CancelJob", "job-1");

            var job = net.job("job-1");
            assertThat(job.at("/job/outcome/payments")).hasSize(1);
            assertThat(job.at("/job/outcome/payments/" + account(p1).replace("/", "~1")).asLong()).isEqualTo(cost(10, 120));
            assertThat(job.at("/replicas/1/verdict").asText()).isEqualTo("NO_SHOW");
            assertThat(job.at("/job/outcome/slashed/" + account(p2).replace("/", "~1")).asLong()).isEqualTo(100);
            assertThat(net.query("GetNodeReputation", account(p2)).at("/record/noShows").asLong()).isEqualTo(1);
        }
    }

    @Nested
    class Rule14_BoundedSizes {

        @Test
        void a_job_spec_over_the_size_limit_is_refused_before_it_is_parsed() {
            var huge = Consortium.jobJson("job-1", 1, 1, 20, 600, START.getEpochSecond() + 86_400)
                    .replace("\"MODE\":\"fast\"", "\"MODE\":\"" + "x".repeat(20_000) + "\"");

            var result = net.submit(net.client, "SubmitJob", huge);

            assertRefused(result, "INVALID_ARGUMENT");
            assertThat(result.message()).contains("at most 16384 are accepted");
        }

        @Test
        void a_listing_page_stops_before_a_megabyte_and_the_bookmark_continues_it() {
            var big = net.clientOf(ORG3, "big");
            net.fund(big, 100_000_000);
            var env = new java.util.TreeMap<String, String>();
            for (int i = 0; i < 3; i++) {
                env.put("V" + i, "y".repeat(4_000));
            }
            for (int i = 0; i < 90; i++) {
                var spec = Consortium.parse(Consortium.jobJson("big-" + i, 1, 1, 20, 600, START.getEpochSecond() + 86_400));
                ((com.fasterxml.jackson.databind.node.ObjectNode) spec).set("env", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(env));
                net.ok(big, "SubmitJob", spec.toString());
            }

            var ids = new java.util.ArrayList<String>();
            var bookmark = "";
            int pages = 0;
            do {
                var page = net.ledger.evaluate(net.admin1, "ListJobsByClient", account(big), "200", bookmark);
                assertThat(page.payload().length()).isLessThan((1 << 20) + 16_384);
                var parsed = Consortium.parse(page.payload());
                parsed.get("items").forEach(job -> ids.add(job.get("jobId").asText()));
                bookmark = parsed.get("bookmark").asText();
                pages++;
            } while (!bookmark.isEmpty());

            assertThat(pages).isGreaterThan(1);
            assertThat(ids).hasSize(90).doesNotHaveDuplicates();
        }
    }

    @Nested
    class TheLifecycleWithoutConflicts {

        @Test
        void the_replicas_of_one_job_commit_and_reveal_at_the_same_time() {
            runningPair("job-1");
            net.advance(Duration.ofSeconds(100));

            var commit1 = net.ledger.proposal(p1, "CommitResult", "job-1", "0", Consortium.commitmentOf(p1, "job-1", 0, digest('c'))).endorse();
            var commit2 = net.ledger.proposal(p2, "CommitResult", "job-1", "1", Consortium.commitmentOf(p2, "job-1", 1, digest('c'))).endorse();
            assertThat(List.of(net.ledger.commit(commit1), net.ledger.commit(commit2))).allMatch(c -> c.name().equals("VALID"));

            var reveal1 = net.ledger.proposal(p1, "RevealResult", "job-1", "0", Commitments.fingerprint("job-1", digest('c')),
                    Consortium.saltFor(p1), "100").endorse();
            var reveal2 = net.ledger.proposal(p2, "RevealResult", "job-1", "1", Commitments.fingerprint("job-1", digest('c')),
                    Consortium.saltFor(p2), "100").endorse();
            assertThat(List.of(net.ledger.commit(reveal1), net.ledger.commit(reveal2))).allMatch(c -> c.name().equals("VALID"));
            assertThat(event(net.settle("job-1")).get("type").asText()).isEqualTo("JobCompleted");
        }

        @Test
        void settlements_paying_the_same_providers_and_the_treasury_commit_side_by_side() {
            runningPair("job-1");
            runningPair("job-2");
            net.advance(Duration.ofSeconds(100));
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'c'), 100);
            net.commitAndReveal("job-2", Map.of(p1, 'd', p2, 'd'), 100);

            var settle1 = net.ledger.proposal(net.admin1, "SettleJob", "job-1").endorse();
            var settle2 = net.ledger.proposal(net.admin2, "SettleJob", "job-2").endorse();

            assertThat(net.ledger.commit(settle1).name()).isEqualTo("VALID");
            assertThat(net.ledger.commit(settle2).name()).isEqualTo("VALID");
            assertThat(net.balance(p1)).isEqualTo(8 * Consortium.MIN_STAKE + 2 * cost(10, 100));
        }

        @Test
        void a_settlement_committing_meanwhile_does_not_invalidate_matching_and_neither_does_a_submission() {
            runningPair("job-1");
            net.advance(Duration.ofSeconds(100));
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'c'), 100);
            net.submitJob("job-2", 2, 2, 20);

            var matching = net.ledger.proposal(net.admin1, "MatchJobs", "[\"job-2\"]", "[]").endorse();
            assertThat(net.ledger.commit(net.ledger.proposal(net.admin2, "SettleJob", "job-1").endorse()).name()).isEqualTo("VALID");
            net.submitJob("job-3", 2, 2, 20);

            assertThat(net.ledger.commit(matching).name()).isEqualTo("VALID");
            assertThat(net.job("job-2").at("/job/status").asText()).isEqualTo("RUNNING");
        }

        @Test
        void releasing_slots_of_ended_jobs_rides_along_with_matching() {
            runningPair("job-1");
            net.advance(Duration.ofSeconds(100));
            net.commitAndReveal("job-1", Map.of(p1, 'c', p2, 'c'), 100);
            net.settle("job-1");
            net.submitJob("job-2", 2, 2, 20);

            var report = Consortium.parse(net.ok(net.admin1, "MatchJobs", "[\"job-2\"]", "[\"job-1\"]").payload());

            assertThat(report.get("released")).extracting(n -> n.asText()).containsExactly("job-1");
            assertThat(report.get("assignments")).hasSize(2);
            assertThat(net.ledger.stateString(Keys.slots("offer-1")).orElseThrow()).contains("job-2#").doesNotContain("job-1#");
        }
    }
}
