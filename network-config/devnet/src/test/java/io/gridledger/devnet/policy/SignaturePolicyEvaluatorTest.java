package io.gridledger.devnet.policy;

import io.gridledger.devnet.msp.Identity.NodeRole;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gridledger.devnet.policy.SignaturePolicies.nOutOf;
import static io.gridledger.devnet.policy.SignaturePolicies.signedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The answers are Fabric's cauthdsl answers, greedy bookkeeping included, not what a full search would find. */
class SignaturePolicyEvaluatorTest {

    private static final TestIdentity ORG1_PEER = TestIdentity.peer("Org1MSP");
    private static final TestIdentity ORG1_CLIENT = TestIdentity.client("Org1MSP", "alice");
    private static final TestIdentity ORG1_OTHER_CLIENT = TestIdentity.client("Org1MSP", "bob");
    private static final TestIdentity ORG1_ADMIN = TestIdentity.admin("Org1MSP");
    private static final TestIdentity ORG2_PEER = TestIdentity.peer("Org2MSP");
    private static final TestIdentity ORG2_CLIENT = TestIdentity.client("Org2MSP", "carol");

    private static boolean evaluate(String dsl, TestIdentity... signers) {
        return SignaturePolicyEvaluator.parse(dsl).evaluate(List.of(signers));
    }

    @Nested
    class MatchesPrincipals {

        @Test
        void a_peer_satisfies_its_orgs_peer_and_member_principals() {
            assertThat(evaluate("OR('Org1MSP.peer')", ORG1_PEER)).isTrue();
            assertThat(evaluate("OR('Org1MSP.member')", ORG1_PEER)).isTrue();
        }

        @Test
        void a_peer_does_not_satisfy_another_orgs_principal_or_another_role() {
            assertThat(evaluate("OR('Org2MSP.peer')", ORG1_PEER)).isFalse();
            assertThat(evaluate("OR('Org1MSP.admin', 'Org1MSP.client')", ORG1_PEER)).isFalse();
        }

        @Test
        void nobody_satisfies_a_policy_that_needs_someone() {
            assertThat(evaluate("OR('Org1MSP.member')")).isFalse();
        }

        @Test
        void nobody_satisfies_zero_out_of_n() {
            assertThat(evaluate("OutOf(0, 'Org1MSP.member', 'Org2MSP.member')")).isTrue();
        }

        @Test
        void n_plus_one_out_of_n_is_never_satisfied() {
            assertThat(evaluate("OutOf(3, 'Org1MSP.member', 'Org2MSP.member')", ORG1_PEER, ORG2_PEER, ORG1_CLIENT))
                    .isFalse();
        }

        @Test
        void an_identity_principal_is_satisfied_by_that_identity_only() {
            var envelope = SignaturePolicyEnvelope.newBuilder()
                    .setRule(nOutOf(1, List.of(signedBy(0))))
                    .addIdentities(MSPPrincipal.newBuilder()
                            .setPrincipalClassification(MSPPrincipal.Classification.IDENTITY)
                            .setPrincipal(ORG1_CLIENT.serialized()))
                    .build();
            var evaluator = SignaturePolicyEvaluator.compile(envelope);

            assertThat(evaluator.evaluate(List.of(ORG1_CLIENT))).isTrue();
            assertThat(evaluator.evaluate(List.of(ORG1_OTHER_CLIENT))).isFalse();
        }
    }

    @Nested
    class CountsEachSignerOnce {

        @Test
        void one_signer_cannot_satisfy_two_signed_bys_it_matches() {
            assertThat(evaluate("AND('Org1MSP.member', 'Org1MSP.peer')", ORG1_PEER)).isFalse();
        }

        @Test
        void two_signers_of_the_same_org_satisfy_two_member_principals() {
            assertThat(evaluate("AND('Org1MSP.member', 'Org1MSP.member')", ORG1_CLIENT, ORG1_OTHER_CLIENT)).isTrue();
        }

        @Test
        void the_same_identity_signing_twice_counts_once() {
            var again = TestIdentity.of("Org1MSP", NodeRole.CLIENT, "alice");
            assertThat(evaluate("AND('Org1MSP.member', 'Org1MSP.member')", ORG1_CLIENT, again)).isFalse();
        }
    }

    @Nested
    class IsGreedyLikeCauthdsl {

        @Test
        void a_signed_by_takes_the_first_matching_signer_even_when_a_later_one_would_leave_room() {
            // member takes the peer (listed first); peer then finds no unused peer. An assignment exists
            // (client -> member, peer -> peer), but Fabric refuses.
            assertThat(evaluate("AND('Org1MSP.member', 'Org1MSP.peer')", ORG1_PEER, ORG1_CLIENT)).isFalse();
        }

        @Test
        void the_same_signers_in_the_other_order_pass() {
            assertThat(evaluate("AND('Org1MSP.member', 'Org1MSP.peer')", ORG1_CLIENT, ORG1_PEER)).isTrue();
        }

        @Test
        void an_or_keeps_every_signer_its_satisfied_rules_used() {
            // The OR evaluates both rules, so it uses Org1's and Org2's peers; the second Org2 principal finds Org2's
            // peer used. Fabric refuses although Org1 -> OR, Org2 -> Org2 would do.
            assertThat(evaluate("AND(OR('Org1MSP.member', 'Org2MSP.member'), 'Org2MSP.member')",
                    ORG1_PEER, ORG2_PEER)).isFalse();
        }

        @Test
        void a_second_signer_of_the_contested_org_makes_it_pass() {
            assertThat(evaluate("AND(OR('Org1MSP.member', 'Org2MSP.member'), 'Org2MSP.member')",
                    ORG1_PEER, ORG2_PEER, ORG2_CLIENT)).isTrue();
        }

        @Test
        void a_failed_rule_gives_back_the_signers_it_tried() {
            // AND('Org1MSP.member', 'Org2MSP.admin') fails, so Org1's peer is free again for the next rule.
            assertThat(evaluate("OutOf(1, AND('Org1MSP.member', 'Org2MSP.admin'), 'Org1MSP.peer')", ORG1_PEER))
                    .isTrue();
        }

        @Test
        void an_admin_is_not_a_client() {
            assertThat(evaluate("OR('Org1MSP.client')", ORG1_ADMIN)).isFalse();
            assertThat(evaluate("OR('Org1MSP.admin')", ORG1_ADMIN)).isTrue();
        }
    }

    @Nested
    class Compiling {

        @Test
        void refuses_a_signed_by_past_the_principals() {
            var envelope = SignaturePolicyEnvelope.newBuilder().setRule(nOutOf(1, List.of(signedBy(1))))
                    .addIdentities(SignaturePolicies.rolePrincipal("Org1MSP",
                            org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType.PEER))
                    .build();
            assertThatThrownBy(() -> SignaturePolicyEvaluator.compile(envelope))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("identity index out of range, requested 1, but identities length is 1");
        }

        @Test
        void refuses_an_envelope_without_a_rule() {
            assertThatThrownBy(() -> SignaturePolicyEvaluator.compile(SignaturePolicyEnvelope.getDefaultInstance()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no rule");
        }

        @Test
        void gives_equal_evaluators_for_equal_envelopes() {
            assertThat(SignaturePolicyEvaluator.parse("OR('Org1MSP.peer')"))
                    .isEqualTo(SignaturePolicyEvaluator.parse("or('Org1MSP.peer')"))
                    .hasSameHashCodeAs(SignaturePolicyEvaluator.parse("OR('Org1MSP.peer')"))
                    .isNotEqualTo(SignaturePolicyEvaluator.parse("OR('Org2MSP.peer')"));
        }
    }
}
