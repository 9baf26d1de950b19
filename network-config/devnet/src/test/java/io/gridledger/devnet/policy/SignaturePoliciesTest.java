package io.gridledger.devnet.policy;

import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.gridledger.devnet.policy.SignaturePolicies.nOutOf;
import static io.gridledger.devnet.policy.SignaturePolicies.rolePrincipal;
import static io.gridledger.devnet.policy.SignaturePolicies.signedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType.ADMIN;
import static org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType.CLIENT;
import static org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType.MEMBER;
import static org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType.ORDERER;
import static org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType.PEER;

/**
 * The expected envelopes are built by hand following Fabric's policydsl (and its own tests): principals numbered in
 * the order the evaluation meets them, inner gates first; no deduplication; version 0.
 */
class SignaturePoliciesTest {

    private static SignaturePolicyEnvelope envelope(SignaturePolicy rule, MSPPrincipal... principals) {
        return SignaturePolicyEnvelope.newBuilder().setVersion(0).setRule(rule).addAllIdentities(List.of(principals))
                .build();
    }

    private static MSPPrincipal role(String mspId, MSPRoleType role) {
        return rolePrincipal(mspId, role);
    }

    @Nested
    class ProducesFabricsEnvelope {

        @Test
        void for_a_single_org_endorsement_policy() {
            assertThat(SignaturePolicies.parse("OR('Org1MSP.peer')"))
                    .isEqualTo(envelope(nOutOf(1, List.of(signedBy(0))), role("Org1MSP", PEER)));
        }

        @Test
        void for_and_of_two_members_in_argument_order() {
            assertThat(SignaturePolicies.parse("AND('Org1MSP.member', 'Org2MSP.member')"))
                    .isEqualTo(envelope(nOutOf(2, List.of(signedBy(0), signedBy(1))),
                            role("Org1MSP", MEMBER), role("Org2MSP", MEMBER)));
        }

        @Test
        void for_out_of_with_every_role() {
            assertThat(SignaturePolicies.parse(
                    "OutOf(2, 'A.peer', 'B.admin', 'C.orderer', 'D.client', 'E.member')"))
                    .isEqualTo(envelope(
                            nOutOf(2, List.of(signedBy(0), signedBy(1), signedBy(2), signedBy(3), signedBy(4))),
                            role("A", PEER), role("B", ADMIN), role("C", ORDERER), role("D", CLIENT),
                            role("E", MEMBER)));
        }

        @Test
        void listing_principals_of_nested_gates_before_those_of_the_enclosing_gate() {
            // Fabric's TestComplex1: B and C (inner AND) get 0 and 1, A gets 2.
            assertThat(SignaturePolicies.parse("OR('A.member', AND('B.member', 'C.member'))"))
                    .isEqualTo(envelope(
                            nOutOf(1, List.of(signedBy(2), nOutOf(2, List.of(signedBy(0), signedBy(1))))),
                            role("B", MEMBER), role("C", MEMBER), role("A", MEMBER)));
        }

        @Test
        void listing_sibling_gates_left_to_right() {
            assertThat(SignaturePolicies.parse("OR(AND('A.member', 'B.member'), OR('C.admin', 'D.member'))"))
                    .isEqualTo(envelope(
                            nOutOf(1, List.of(
                                    nOutOf(2, List.of(signedBy(0), signedBy(1))),
                                    nOutOf(1, List.of(signedBy(2), signedBy(3))))),
                            role("A", MEMBER), role("B", MEMBER), role("C", ADMIN), role("D", MEMBER)));
        }

        @Test
        void for_a_key_level_policy_nesting_out_of_in_and_in_out_of() {
            assertThat(SignaturePolicies.parse(
                    "OutOf(1, AND('Org1MSP.peer', OutOf(1, 'Org2MSP.peer', 'Org3MSP.peer')), 'Org4MSP.peer')"))
                    .isEqualTo(envelope(
                            nOutOf(1, List.of(
                                    nOutOf(2, List.of(signedBy(2), nOutOf(1, List.of(signedBy(0), signedBy(1))))),
                                    signedBy(3))),
                            role("Org2MSP", PEER), role("Org3MSP", PEER), role("Org1MSP", PEER),
                            role("Org4MSP", PEER)));
        }

        @Test
        void keeping_a_principal_named_twice_twice() {
            assertThat(SignaturePolicies.parse("OutOf(2, 'Org1MSP.peer', 'Org1MSP.peer')"))
                    .isEqualTo(envelope(nOutOf(2, List.of(signedBy(0), signedBy(1))),
                            role("Org1MSP", PEER), role("Org1MSP", PEER)));
        }

        @Test
        void for_msp_ids_with_dots_and_dashes() {
            assertThat(SignaturePolicies.parse("OR('MSP.member', 'MSP.WITH.DOTS.member', 'MSP-WITH-DASHES.member')"))
                    .isEqualTo(envelope(nOutOf(1, List.of(signedBy(0), signedBy(1), signedBy(2))),
                            role("MSP", MEMBER), role("MSP.WITH.DOTS", MEMBER), role("MSP-WITH-DASHES", MEMBER)));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "AND('A.member', 'B.member')",
                "and('A.member', 'B.member')",
                "And('A.member', 'B.member')",
                "OutOf(2, 'A.member', 'B.member')",
                "outof(2, 'A.member', 'B.member')",
                "OUTOF(2, 'A.member', 'B.member')",
                "OutOf('2', 'A.member', 'B.member')",
                "OutOf(2.9, \"A.member\", \"B.member\")",
                "  AND ( 'A.member' ,'B.member' )  "})
        void for_every_spelling_fabric_accepts(String dsl) {
            assertThat(SignaturePolicies.parse(dsl))
                    .isEqualTo(envelope(nOutOf(2, List.of(signedBy(0), signedBy(1))),
                            role("A", MEMBER), role("B", MEMBER)));
        }

        @Test
        void for_zero_out_of_n_which_anyone_satisfies() {
            assertThat(SignaturePolicies.parse("OutOf(0, 'A.member', 'B.member')").getRule())
                    .isEqualTo(nOutOf(0, List.of(signedBy(0), signedBy(1))));
        }

        @Test
        void for_n_plus_one_out_of_n_which_makes_a_key_immutable() {
            assertThat(SignaturePolicies.parse("OutOf(3, 'A.member', 'B.member')").getRule())
                    .isEqualTo(nOutOf(3, List.of(signedBy(0), signedBy(1))));
        }
    }

    @Nested
    class RefusesWithAClearMessage {

        @Test
        void a_count_beyond_n_plus_one() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OutOf(4, 'A.member', 'B.member')"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("OutOf(4, 'A.member', 'B.member')")
                    .hasMessageContaining("invalid t-out-of-n predicate, t 4, n 2");
        }

        @Test
        void a_negative_count() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OutOf(-1, 'A.member', 'B.member')"))
                    .hasMessageContaining("invalid t-out-of-n predicate, t -1, n 2");
        }

        @Test
        void an_unquoted_principal() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OR('A.member', Bmember)"))
                    .hasMessageContaining("unrecognized token 'Bmember' in policy string");
        }

        @Test
        void a_principal_without_a_role() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OR('A.member', 'Bmember')"))
                    .hasMessageContaining("unrecognized token 'Bmember' in policy string");
        }

        @Test
        void an_unknown_role() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OR('Org1MSP.endorser')"))
                    .hasMessageContaining("unrecognized token 'Org1MSP.endorser'");
        }

        @Test
        void an_msp_id_with_characters_fabric_does_not_allow() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OR('Org_1.peer')"))
                    .hasMessageContaining("unrecognized token 'Org_1.peer'");
        }

        @Test
        void a_gate_with_only_a_count() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OutOf(1)"))
                    .hasMessageContaining("expected at least two arguments to NOutOf. Given 1");
        }

        @Test
        void a_number_where_a_principal_belongs() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OutOf(1, 2)"))
                    .hasMessageContaining("unexpected type float64");
        }

        @Test
        void a_boolean_count() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OutOf(true, 'A.member')"))
                    .hasMessageContaining("unexpected type bool");
        }

        @Test
        void an_unknown_gate() {
            assertThatThrownBy(() -> SignaturePolicies.parse("ANY('A.member', 'B.member')"))
                    .hasMessageContaining("unknown gate 'ANY'");
        }

        @Test
        void a_gate_of_mixed_case_fabric_does_not_know() {
            assertThatThrownBy(() -> SignaturePolicies.parse("oR('A.member')"))
                    .hasMessageContaining("unknown gate 'oR'");
        }

        @Test
        void a_missing_closing_parenthesis() {
            assertThatThrownBy(() -> SignaturePolicies.parse("AND('A.member', 'B.member'"))
                    .hasMessageContaining("missing ')'");
        }

        @Test
        void an_unclosed_string() {
            assertThatThrownBy(() -> SignaturePolicies.parse("AND('A.member, 'B.member')"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid signature policy");
        }

        @Test
        void text_after_the_policy() {
            assertThatThrownBy(() -> SignaturePolicies.parse("OR('A.member') OR('B.member')"))
                    .hasMessageContaining("unexpected 'O'");
        }

        @Test
        void an_empty_policy() {
            assertThatThrownBy(() -> SignaturePolicies.parse(""))
                    .hasMessageContaining("Unexpected end of expression");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1", "'1'", "'A.member'"})
        void a_policy_that_is_not_a_gate(String dsl) {
            assertThatThrownBy(() -> SignaturePolicies.parse(dsl))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid signature policy \"" + dsl + "\"");
        }
    }

    @Nested
    class RendersForLogs {

        @Test
        void gates_by_their_usual_names() {
            var envelope = SignaturePolicies.parse(
                    "OutOf(2, 'Org1MSP.peer', AND('Org2MSP.peer', 'Org3MSP.admin'), OR('Org4MSP.client', 'Org5MSP.member'))");
            assertThat(SignaturePolicies.toString(envelope)).isEqualTo(
                    "OutOf(2, 'Org1MSP.peer', AND('Org2MSP.peer', 'Org3MSP.admin'), OR('Org4MSP.client', 'Org5MSP.member'))");
        }

        @Test
        void so_that_parsing_the_rendering_gives_the_same_decisions() {
            var envelope = SignaturePolicies.parse("OR('A.member', AND('B.member', 'C.member'))");
            assertThat(SignaturePolicies.toString(envelope)).isEqualTo("OR('A.member', AND('B.member', 'C.member'))");
        }
    }
}
