package io.gridledger.devnet.policy;

import io.gridledger.devnet.msp.Identity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelPoliciesTest {

    private static List<Identity> peers(int... orgs) {
        return IntStream.of(orgs).<Identity>mapToObj(i -> TestIdentity.peer("Org" + i + "MSP")).toList();
    }

    @Nested
    class ImplicitMetaMajority {

        private final ChannelPolicies threeOrgs = ChannelPolicyFixtures.orgs(3);
        private final ChannelPolicies fourOrgs = ChannelPolicyFixtures.orgs(4);

        @Test
        void of_three_orgs_needs_two() {
            assertThat(threeOrgs.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, peers(1, 3))).isTrue();
            assertThat(threeOrgs.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, peers(2))).isFalse();
        }

        @Test
        void of_four_orgs_needs_three_since_two_is_only_half() {
            assertThat(fourOrgs.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, peers(1, 2))).isFalse();
            assertThat(fourOrgs.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, peers(1, 2, 4))).isTrue();
        }

        @Test
        void counts_an_org_once_however_many_of_its_peers_sign() {
            var twoOrg1Peers = List.<Identity>of(TestIdentity.peer("Org1MSP"),
                    TestIdentity.of("Org1MSP", Identity.NodeRole.PEER, "peer1.Org1MSP"));
            assertThat(threeOrgs.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, twoOrg1Peers)).isFalse();
        }

        @Test
        void counts_an_org_whose_group_lacks_the_sub_policy_as_never_satisfied() {
            // No org has an "Audit" policy: 3 sub-groups, threshold 2, none satisfiable.
            assertThat(threeOrgs.isSatisfied("/Channel/Application/MajorityAudits", peers(1, 2, 3))).isFalse();
        }
    }

    @Nested
    class ImplicitMetaAnyAndAll {

        private final ChannelPolicies threeOrgs = ChannelPolicyFixtures.orgs(3);

        @Test
        void any_needs_one_org() {
            assertThat(threeOrgs.isSatisfied("Application/AnyEndorses", peers(2))).isTrue();
            assertThat(threeOrgs.isSatisfied("Application/AnyEndorses", List.of())).isFalse();
        }

        @Test
        void all_needs_every_org() {
            assertThat(threeOrgs.isSatisfied("Application/AllEndorse", peers(1, 2))).isFalse();
            assertThat(threeOrgs.isSatisfied("Application/AllEndorse", peers(3, 1, 2))).isTrue();
        }

        @Test
        void over_a_group_without_sub_groups_is_satisfied_by_nobody() {
            var empty = new ChannelPolicies(PolicyGroup.of(Map.of(), Map.of("Application",
                    PolicyGroup.leaf(Map.of("Endorsement", ImplicitMetaPolicy.parse("ALL Endorsement"))))));
            assertThat(empty.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, List.of())).isTrue();
        }

        @Test
        void nest_through_channel_level_policies() {
            var client = TestIdentity.client("Org2MSP", "carol");
            assertThat(threeOrgs.isSatisfied(ChannelPolicies.CHANNEL_WRITERS, List.of(client))).isTrue();
            assertThat(threeOrgs.isSatisfied(ChannelPolicies.CHANNEL_WRITERS, peers(1))).isFalse();
        }
    }

    @Nested
    class ThresholdsAndParsing {

        @ParameterizedTest
        @CsvSource({
                "ANY, 3, 1", "ALL, 3, 3", "MAJORITY, 1, 1", "MAJORITY, 2, 2", "MAJORITY, 3, 2", "MAJORITY, 4, 3",
                "MAJORITY, 5, 3", "ANY, 0, 0", "ALL, 0, 0", "MAJORITY, 0, 0"})
        void are_fabrics(ImplicitMetaPolicy.Rule rule, int subGroups, int threshold) {
            assertThat(new ImplicitMetaPolicy(rule, "Endorsement").threshold(subGroups)).isEqualTo(threshold);
        }

        @Test
        void parses_configtx_rules() {
            assertThat(ImplicitMetaPolicy.parse("MAJORITY Endorsement"))
                    .isEqualTo(new ImplicitMetaPolicy(ImplicitMetaPolicy.Rule.MAJORITY, "Endorsement"));
        }

        @Test
        void refuses_rules_fabric_refuses() {
            assertThatThrownBy(() -> ImplicitMetaPolicy.parse("Majority Endorsement"))
                    .hasMessageContaining("unknown rule type 'Majority', expected ALL, ANY, or MAJORITY");
            assertThatThrownBy(() -> ImplicitMetaPolicy.parse("MAJORITY  Endorsement"))
                    .hasMessageContaining("expected two space separated tokens, but got 3");
            assertThatThrownBy(() -> ImplicitMetaPolicy.parse("MAJORITY"))
                    .hasMessageContaining("but got 1");
        }

        @Test
        void encodes_the_proto_the_channel_config_holds() throws Exception {
            var proto = ImplicitMetaPolicy.parse("ANY Readers").toProto();
            assertThat(proto.getType()).isEqualTo(org.hyperledger.fabric.protos.common.Policy.PolicyType.IMPLICIT_META_VALUE);
            var meta = org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.parseFrom(proto.getValue());
            assertThat(meta.getRule()).isEqualTo(org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule.ANY);
            assertThat(meta.getSubPolicy()).isEqualTo("Readers");
        }
    }

    @Nested
    class ResolvesReferences {

        private final ChannelPolicies policies = ChannelPolicyFixtures.orgs(3);

        @Test
        void absolute_and_relative_to_the_channel() {
            assertThat(policies.find("/Channel/Application/Endorsement")).isPresent();
            assertThat(policies.find("Application/Endorsement")).isEqualTo(policies.find("/Channel/Application/Endorsement"));
            assertThat(policies.find("/Channel/Application/Org2/Endorsement"))
                    .map(ConfigPolicy::ruleText).hasValue("OR('Org2MSP.peer')");
        }

        @Test
        void to_no_policy_for_unknown_paths_and_never_satisfies_them() {
            assertThat(policies.find("/Channel/Application/Nope")).isEmpty();
            assertThat(policies.find("/Other/Application/Endorsement")).isEmpty();
            assertThat(policies.find("")).isEmpty();
            assertThat(policies.isSatisfied("/Channel/Application/Nope", peers(1, 2, 3))).isFalse();
        }

        @Test
        void to_an_org_policy_directly() {
            assertThat(policies.isSatisfied("/Channel/Application/Org1/Endorsement", peers(1))).isTrue();
            assertThat(policies.isSatisfied("/Channel/Application/Org1/Endorsement", peers(2))).isFalse();
        }
    }

    @Nested
    class ExplainsAFailedEvaluationAsFabricDoes {

        private final ChannelPolicies threeOrgs = ChannelPolicyFixtures.orgs(3);

        @Test
        void counts_the_satisfied_sub_policies_of_an_implicit_meta_policy_against_its_threshold() {
            assertThat(threeOrgs.evaluationFailure(ChannelPolicies.APPLICATION_WRITERS, peers(1)))
                    .hasValue("implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy "
                            + "requires 1 of the 'Writers' sub-policies to be satisfied");
            assertThat(threeOrgs.evaluationFailure(ChannelPolicies.APPLICATION_ENDORSEMENT, peers(2)))
                    .hasValue("implicit policy evaluation failed - 1 sub-policies were satisfied, but this policy "
                            + "requires 2 of the 'Endorsement' sub-policies to be satisfied");
        }

        @Test
        void has_nothing_to_say_when_the_policy_is_satisfied() {
            assertThat(threeOrgs.evaluationFailure(ChannelPolicies.APPLICATION_READERS, peers(3))).isEmpty();
        }

        @Test
        void names_a_signature_policy_or_a_missing_policy_that_fails() {
            assertThat(threeOrgs.evaluationFailure("/Channel/Application/Org1/Admins", peers(1)))
                    .hasValue("signature set did not satisfy policy");
            assertThat(threeOrgs.evaluationFailure("/Channel/Application/Auditors", peers(1)))
                    .hasValue("no such policy: '/Channel/Application/Auditors'");
        }
    }
}
