package io.gridledger.chaincode.contract;

import io.gridledger.chaincode.ledger.Keys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.gridledger.chaincode.contract.Consortium.ORG1;
import static io.gridledger.chaincode.contract.Consortium.ORG2;
import static io.gridledger.chaincode.contract.Consortium.account;
import static io.gridledger.chaincode.contract.Consortium.event;
import java.util.Map;
import static org.assertj.core.api.Assertions.assertThat;

/** Offers and matching by availability and cost, with the reasons a job waits. */
class MarketAndMatchingTest {

    Consortium net;

    @BeforeEach
    void start() {
        net = Consortium.started();
        net.fund(net.client, 1_000_000);
    }

    @Nested
    class Offers {

        @Test
        void publishing_locks_the_stake_and_lists_the_offer_once_in_the_market() {
            var provider = net.providerWithOffer(ORG1, "node1", "offer-1", 10, 3);

            assertThat(net.balance(provider)).isEqualTo(7 * Consortium.MIN_STAKE);
            assertThat(net.ledger.state(Keys.market("amd64/cpu", 10, "offer-1"))).isPresent();
            assertThat(net.ledger.stateSnapshot().keySet()).filteredOn(k -> k.startsWith("\u0000market\u0000")).hasSize(1);
            assertThat(net.query("GetOffer", "offer-1").get("status").asText()).isEqualTo("ACTIVE");
        }

        @Test
        void a_stake_below_the_consortium_minimum_per_slot_is_refused() {
            var provider = net.provider(ORG1, "node1");
            net.fund(provider, 10_000);

            var result = net.submit(provider, "PublishOffer", Consortium.offerJson("offer-1", 10, 3, 3 * Consortium.MIN_STAKE - 1));

            assertThat(result.errorCode()).isEqualTo("INVALID_ARGUMENT");
            assertThat(result.message()).contains("1000 per slot × 3 slots");
        }

        @Test
        void updating_the_price_moves_the_offer_in_the_market() {
            var provider = net.providerWithOffer(ORG1, "node1", "offer-1", 10, 1);

            net.ok(provider, "UpdateOffer", Consortium.offerJson("offer-1", 7, 1, 2 * Consortium.MIN_STAKE));

            assertThat(net.ledger.state(Keys.market("amd64/cpu", 10, "offer-1"))).isEmpty();
            assertThat(net.ledger.state(Keys.market("amd64/cpu", 7, "offer-1"))).isPresent();
            assertThat(net.balance(provider)).isEqualTo(8 * Consortium.MIN_STAKE);
        }

        @Test
        void a_full_offer_leaves_the_market_and_comes_back_when_its_slot_is_released() {
            net.providerWithOffer(ORG1, "node1", "offer-1", 10, 1);
            net.submitJob("job-1", 1, 1, 20);
            net.match("job-1");
            assertThat(net.ledger.state(Keys.market("amd64/cpu", 10, "offer-1"))).isEmpty();

            net.ok(net.client, "CancelJob", "job-1");
            assertThat(net.ledger.state(Keys.market("amd64/cpu", 10, "offer-1"))).isEmpty();
            net.release("job-1");

            assertThat(net.ledger.state(Keys.market("amd64/cpu", 10, "offer-1"))).isPresent();
        }

        @Test
        void a_paused_offer_is_not_matched_and_a_resumed_one_is() {
            var provider = net.providerWithOffer(ORG1, "node1", "offer-1", 10, 1);
            net.ok(provider, "PauseOffer", "offer-1");
            net.submitJob("job-1", 1, 1, 20);

            net.match("job-1");
            assertThat(net.job("job-1").at("/job/unmatched/reason").asText()).isEqualTo("CAPACITY");

            net.ok(provider, "ResumeOffer", "offer-1");
            var matched = net.ok(net.admin2, "MatchQueue", "amd64/cpu", "10", "[]");
            assertThat(event(matched).get("assignments")).hasSize(1);
        }

        @Test
        void withdrawing_returns_the_stake_only_when_no_work_is_in_flight() {
            var provider = net.providerWithOffer(ORG1, "node1", "offer-1", 10, 1);
            net.submitJob("job-1", 1, 1, 20);
            net.match("job-1");

            assertThat(net.submit(provider, "WithdrawOffer", "offer-1").errorCode()).isEqualTo("WRONG_STATE");

            // The job ended, but nobody released its slot yet: withdrawing returns it first.
            net.ok(net.client, "CancelJob", "job-1");
            net.ok(provider, "WithdrawOffer", "offer-1");
            assertThat(net.query("GetOffer", "offer-1").get("status").asText()).isEqualTo("WITHDRAWN");
            assertThat(net.balance(provider)).isEqualTo(10 * Consortium.MIN_STAKE);
        }

        @Test
        void only_the_owning_node_may_change_an_offer() {
            net.providerWithOffer(ORG1, "node1", "offer-1", 10, 1);
            var other = net.provider(ORG1, "node9");

            assertThat(net.submit(other, "PauseOffer", "offer-1").errorCode()).isEqualTo("FORBIDDEN");
            assertThat(net.submit(net.admin1, "PauseOffer", "offer-1").errorCode()).isEqualTo("FORBIDDEN");
        }

        @Test
        void offers_are_listed_by_class_cheapest_first_with_pagination() {
            net.providerWithOffer(ORG1, "node1", "offer-a", 30, 1);
            net.providerWithOffer(ORG1, "node2", "offer-b", 10, 1);
            net.providerWithOffer(ORG2, "node3", "offer-c", 20, 1);

            var first = net.query("ListOffers", "amd64/cpu", "0", "2", "");
            assertThat(first.get("items")).extracting(o -> o.get("offerId").asText()).containsExactly("offer-b", "offer-c");
            var second = net.query("ListOffers", "amd64/cpu", "0", "2", first.get("bookmark").asText());
            assertThat(second.get("items")).extracting(o -> o.get("offerId").asText()).containsExactly("offer-a");
            var affordable = net.query("ListOffers", "amd64/cpu", "20", "10", "");
            assertThat(affordable.get("items")).hasSize(2);
        }
    }

    @Nested
    class Matching {

        @Test
        void a_single_execution_job_goes_to_the_cheapest_free_slot() {
            net.providerWithOffer(ORG1, "node1", "offer-a", 30, 1);
            var cheapest = net.providerWithOffer(ORG2, "node2", "offer-b", 10, 1);
            net.submitJob("job-1", 1, 1, 50);

            var assignments = event(net.match("job-1")).get("assignments");

            assertThat(assignments).singleElement().satisfies(a -> assertThat(a.get("nodeId").asText()).isEqualTo(account(cheapest)));
        }

        @Test
        void equal_prices_are_broken_by_offer_id() {
            net.providerWithOffer(ORG1, "node1", "offer-b", 10, 1);
            net.providerWithOffer(ORG2, "node2", "offer-a", 10, 1);
            net.submitJob("job-1", 1, 1, 50);

            var assignments = event(net.match("job-1")).get("assignments");

            assertThat(assignments.get(0).get("offerId").asText()).isEqualTo("offer-a");
        }

        @Test
        void when_only_one_org_offers_replicated_jobs_wait_for_another_org() {
            net.providerWithOffer(ORG1, "node1", "offer-a", 10, 2);
            net.providerWithOffer(ORG1, "node2", "offer-b", 11, 2);
            net.submitJob("job-1", 2, 2, 50);

            net.match("job-1");

            var job = net.job("job-1");
            assertThat(job.at("/job/status").asText()).isEqualTo("QUEUED");
            assertThat(job.at("/job/unmatched/reason").asText()).isEqualTo("DIVERSITY");
        }

        @Test
        void a_client_that_allows_it_gets_replicas_on_nodes_of_one_org_and_the_job_and_event_say_so() {
            var a = net.providerWithOffer(ORG1, "node1", "offer-a", 10, 2);
            var b = net.providerWithOffer(ORG1, "node2", "offer-b", 11, 2);
            net.ok(net.client, "SubmitJob", Consortium.jobJson("job-1",
                    Map.of("mode", "REPLICATED", "replicas", 2, "quorum", 2, "sameOrgReplicas", true), 50, 600,
                    Consortium.START.getEpochSecond() + 86_400));

            var matched = event(net.match("job-1"));

            assertThat(matched.get("assignments")).extracting(x -> x.get("nodeId").asText()).containsExactly(account(a), account(b));
            assertThat(matched.get("assignments")).allSatisfy(x -> assertThat(x.get("sharedOrg").asBoolean()).isTrue());
            assertThat(net.job("job-1").at("/job/sharedOrg").asBoolean()).isTrue();
        }

        @Test
        void one_offer_with_hundreds_of_cheap_slots_does_not_exhaust_the_scan_budget() {
            // The consortium lets a job examine 200 offers. Before, a market entry was a slot, and an offer of 500 cheap
            // slots hid every other org's offer from replicated jobs; now it is one entry.
            var big = net.provider(ORG1, "big");
            net.fund(big, 1_000 * Consortium.MIN_STAKE);
            net.ok(big, "PublishOffer", Consortium.offerJson("offer-big", 1, 500, 500 * Consortium.MIN_STAKE));
            var other = net.providerWithOffer(ORG2, "node2", "offer-b", 15, 1);
            net.submitJob("job-1", 2, 2, 50);

            var assignments = event(net.match("job-1")).get("assignments");

            assertThat(assignments).extracting(x -> x.get("nodeId").asText()).containsExactly(account(big), account(other));
        }

        @Test
        void a_job_too_cheap_for_the_market_waits_with_reason_price() {
            net.providerWithOffer(ORG1, "node1", "offer-a", 30, 1);
            net.submitJob("job-1", 1, 1, 20);

            var matched = net.match("job-1");

            assertThat(event(matched).get("assignments")).isNull();
            var job = net.job("job-1");
            assertThat(job.at("/job/status").asText()).isEqualTo("QUEUED");
            assertThat(job.at("/job/unmatched/reason").asText()).isEqualTo("PRICE");
        }

        @Test
        void a_job_without_any_offer_of_its_class_waits_with_reason_resources() {
            net.submitJob("job-1", 1, 1, 20);

            net.match("job-1");

            assertThat(net.job("job-1").at("/job/unmatched/reason").asText()).isEqualTo("RESOURCES");
        }

        @Test
        void a_job_needing_more_than_any_slot_has_waits_with_reason_resources() {
            net.providerWithOffer(ORG1, "node1", "offer-a", 10, 1);
            var big = Consortium.jobJson("job-1", 1, 1, 20, 600, Consortium.START.getEpochSecond() + 86_400)
                    .replace("\"cpuMillis\":2000", "\"cpuMillis\":64000");
            net.ok(net.client, "SubmitJob", big);

            net.match("job-1");

            var unmatched = net.job("job-1").at("/job/unmatched");
            assertThat(unmatched.get("reason").asText()).isEqualTo("RESOURCES");
            assertThat(unmatched.get("detail").asText()).contains("cpuMillis");
        }

        @Test
        void a_job_with_a_reputation_floor_skips_unproven_nodes() {
            net.providerWithOffer(ORG1, "node1", "offer-a", 10, 1);
            var picky = Consortium.jobJson("job-1", 1, 1, 20, 600, Consortium.START.getEpochSecond() + 86_400)
                    .replace("\"minReputation\":0", "\"minReputation\":500");
            net.ok(net.client, "SubmitJob", picky);

            net.match("job-1");

            assertThat(net.job("job-1").at("/job/unmatched/reason").asText()).isEqualTo("REPUTATION");
        }

        @Test
        void a_queued_job_is_matched_when_capacity_appears() {
            net.submitJob("job-1", 1, 1, 20);
            net.match("job-1");
            assertThat(net.job("job-1").at("/job/status").asText()).isEqualTo("QUEUED");

            net.providerWithOffer(ORG2, "node2", "offer-a", 10, 1);
            var matched = net.ok(net.admin1, "MatchQueue", "amd64/cpu", "10", "[]");

            assertThat(event(matched).get("assignments")).hasSize(1);
            assertThat(net.job("job-1").at("/job/status").asText()).isEqualTo("RUNNING");
            assertThat(net.ledger.stateSnapshot().keySet()).noneMatch(k -> k.startsWith("\u0000queue\u0000"));
        }

        @Test
        void matching_skips_jobs_that_are_no_longer_queued() {
            net.providerWithOffer(ORG1, "node1", "offer-a", 10, 2);
            net.submitJob("job-1", 1, 1, 20);
            net.match("job-1");

            var again = net.match("job-1", "job-unknown");

            assertThat(Consortium.parse(again.payload()).get("skipped")).extracting(n -> n.asText())
                    .containsExactly("job-1", "job-unknown");
            assertThat(net.ledger.stateString(Keys.slots("offer-a")).orElseThrow()).doesNotContain("\"1\"");
        }

        @Test
        void one_matching_run_places_many_jobs_and_consumes_one_slot_each() {
            net.providerWithOffer(ORG1, "node1", "offer-a", 10, 3);
            for (int i = 1; i <= 4; i++) {
                net.submitJob("job-" + i, 1, 1, 20);
            }

            var report = Consortium.parse(net.match("job-1", "job-2", "job-3", "job-4").payload());

            assertThat(report.get("assignments")).hasSize(3);
            assertThat(report.get("unmatched").get("job-4").get("reason").asText()).isEqualTo("CAPACITY");
        }
    }
}
