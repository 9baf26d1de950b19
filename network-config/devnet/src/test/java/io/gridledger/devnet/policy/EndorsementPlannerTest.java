package io.gridledger.devnet.policy;

import io.gridledger.devnet.msp.Identity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class EndorsementPlannerTest {

    private static Map<String, Identity> peers(int count) {
        var peers = new TreeMap<String, Identity>();
        for (int i = 1; i <= count; i++) {
            peers.put("Org" + i + "MSP", TestIdentity.peer("Org" + i + "MSP"));
        }
        return peers;
    }

    private static EndorsementPolicy majority(int orgs) {
        return EndorsementPolicy.channelReference(ChannelPolicies.APPLICATION_ENDORSEMENT,
                ChannelPolicyFixtures.orgs(orgs));
    }

    @Nested
    class ForTheChaincodePolicyAlone {

        private final EndorsementPlanner planner = new EndorsementPlanner(peers(3));

        @Test
        void picks_two_of_three_orgs_for_majority_starting_with_the_local_org() {
            assertThat(planner.plan(List.of(majority(3)), "Org3MSP")).hasValue(List.of("Org3MSP", "Org1MSP"));
            assertThat(planner.plan(List.of(majority(3)), "Org2MSP")).hasValue(List.of("Org2MSP", "Org1MSP"));
        }

        @Test
        void offers_every_smallest_set_with_the_local_org_and_the_gateway_picks_among_them_at_random() {
            assertThat(planner.layouts(List.of(majority(3)), "Org1MSP"))
                    .containsExactly(List.of("Org1MSP", "Org2MSP"), List.of("Org1MSP", "Org3MSP"));
            var random = new java.util.Random(42);
            var chosen = new java.util.HashSet<List<String>>();
            for (int i = 0; i < 50; i++) {
                chosen.add(planner.plan(List.of(majority(3)), "Org1MSP", random).orElseThrow());
            }
            assertThat(chosen).containsExactlyInAnyOrder(List.of("Org1MSP", "Org2MSP"), List.of("Org1MSP", "Org3MSP"));
        }

        @Test
        void picks_the_first_orgs_by_msp_id_without_a_local_org() {
            assertThat(planner.plan(List.of(majority(3)))).hasValue(List.of("Org1MSP", "Org2MSP"));
        }

        @Test
        void picks_three_of_four_orgs_for_majority() {
            assertThat(new EndorsementPlanner(peers(4)).plan(List.of(majority(4)), "Org4MSP"))
                    .hasValue(List.of("Org4MSP", "Org1MSP", "Org2MSP"));
        }

        @Test
        void prefers_the_smallest_set_to_the_local_org() {
            var org2Only = EndorsementPolicy.parse("OR('Org2MSP.peer')");
            assertThat(planner.plan(List.of(org2Only), "Org1MSP")).hasValue(List.of("Org2MSP"));
        }

        @Test
        void answers_equal_policy_sets_from_its_cache() {
            var chaincode = majority(3);
            var first = planner.layouts(List.of(chaincode, EndorsementPolicy.parse("OR('Org1MSP.peer')")), "Org1MSP");
            assertThat(planner.layouts(List.of(EndorsementPolicy.parse("or('Org1MSP.peer')"), chaincode), "Org1MSP"))
                    .isSameAs(first);
        }
    }

    @Nested
    class WithKeyLevelPolicies {

        private final EndorsementPlanner planner = new EndorsementPlanner(peers(3));

        @Test
        void honours_a_key_level_policy_that_requires_a_given_org() {
            var keyLevel = EndorsementPolicy.parse(
                    "OutOf(1, AND('Org1MSP.peer', OutOf(1, 'Org2MSP.peer', 'Org3MSP.peer')), 'Org4MSP.peer')");
            assertThat(planner.plan(List.of(majority(3), keyLevel), "Org3MSP"))
                    .hasValue(List.of("Org3MSP", "Org1MSP"));
            assertThat(planner.plan(List.of(majority(3), keyLevel), "Org2MSP"))
                    .hasValue(List.of("Org2MSP", "Org1MSP"));
        }

        @Test
        void grows_the_set_when_the_key_level_policy_needs_more_than_the_chaincode_policy() {
            var allThree = EndorsementPolicy.parse("AND('Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')");
            assertThat(planner.plan(List.of(majority(3), allThree), "Org2MSP"))
                    .hasValue(List.of("Org2MSP", "Org1MSP", "Org3MSP"));
        }

        @Test
        void plans_for_gridledgers_job_completion_policy_with_an_org_that_is_not_paid() {
            var payeesOrg1And2 = EndorsementPolicy.fromValidationParameter(
                    io.gridledger.chaincode.ledger.EndorsementPolicies.jobCompletion(
                            List.of("Org1MSP", "Org2MSP", "Org3MSP"), List.of("Org1MSP", "Org2MSP")))
                    .orElseThrow();
            assertThat(planner.plan(List.of(majority(3), payeesOrg1And2), "Org1MSP"))
                    .hasValue(List.of("Org1MSP", "Org3MSP"));
        }

        @Test
        void finds_no_plan_when_a_policy_needs_an_org_without_a_peer() {
            var org4 = EndorsementPolicy.parse("AND('Org1MSP.peer', 'Org4MSP.peer')");
            assertThat(planner.plan(List.of(majority(3), org4), "Org1MSP")).isEmpty();
        }

        @Test
        void finds_no_plan_for_an_immutable_key() {
            var immutable = EndorsementPolicy.parse("OutOf(3, 'Org1MSP.peer', 'Org2MSP.peer')");
            assertThat(planner.plan(List.of(immutable), "Org1MSP")).isEmpty();
        }
    }

    @Test
    void lists_the_endorsing_peers_of_a_plan_in_plan_order() {
        var planner = new EndorsementPlanner(peers(3));
        assertThat(planner.endorsers(List.of("Org3MSP", "Org1MSP")))
                .extracting(Identity::mspId).containsExactly("Org3MSP", "Org1MSP");
    }
}
