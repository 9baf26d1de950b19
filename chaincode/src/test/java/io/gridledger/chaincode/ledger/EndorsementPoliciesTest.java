package io.gridledger.chaincode.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import io.gridledger.chaincode.testing.SignaturePolicyEvaluator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key-level policy that guards a job's completion: a majority of member orgs, at least one of which is neither
 * the client's org nor paid by the job (the contract passes both as the "interested" orgs).
 *
 * <p>The semantic tests evaluate the policy the way Fabric's validator does ({@code common/policies/cauthdsl}):
 * every endorsement is one peer identity, and each identity can satisfy at most one {@code SignedBy} in the whole
 * policy tree. An {@code NOutOf} evaluates all of its rules and keeps the identities each satisfied rule used.
 */
class EndorsementPoliciesTest {

    private static final String ORG1 = "Org1MSP";
    private static final String ORG2 = "Org2MSP";
    private static final String ORG3 = "Org3MSP";
    private static final String ORG4 = "Org4MSP";
    private static final String ORG5 = "Org5MSP";

    private static SignaturePolicyEnvelope policy(Collection<String> members, Collection<String> payees) {
        try {
            return SignaturePolicyEnvelope.parseFrom(EndorsementPolicies.jobCompletion(members, payees));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a SignaturePolicyEnvelope", e);
        }
    }

    private static SignaturePolicy signedBy(int index) {
        return SignaturePolicy.newBuilder().setSignedBy(index).build();
    }

    private static SignaturePolicy outOf(int n, List<SignaturePolicy> rules) {
        return SignaturePolicy.newBuilder().setNOutOf(SignaturePolicy.NOutOf.newBuilder().setN(n).addAllRules(rules)).build();
    }

    private static List<SignaturePolicy> signedBy(int... indexes) {
        var rules = new ArrayList<SignaturePolicy>();
        for (var index : indexes) {
            rules.add(signedBy(index));
        }
        return rules;
    }

    static boolean satisfiedBy(SignaturePolicyEnvelope envelope, List<String> endorsingOrgs) {
        return SignaturePolicyEvaluator.satisfiedBy(envelope, endorsingOrgs);
    }

    private static MSPRole role(MSPPrincipal principal) {
        return SignaturePolicyEvaluator.role(principal);
    }

    private static List<List<String>> subsets(List<String> orgs) {
        return SignaturePolicyEvaluator.subsets(orgs);
    }

    // ---- the envelope -----------------------------------------------------------------------------------

    @Nested
    class Envelope {

        @Test
        void names_every_member_org_once_in_sorted_order_as_a_peer_principal() {
            var envelope = policy(List.of(ORG3, ORG1, ORG2, ORG1), Set.of(ORG1));

            assertThat(envelope.getVersion()).isZero();
            assertThat(envelope.getIdentitiesList()).extracting(EndorsementPoliciesTest::role)
                    .extracting(MSPRole::getMspIdentifier, MSPRole::getRole)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(ORG1, MSPRole.MSPRoleType.PEER),
                            org.assertj.core.groups.Tuple.tuple(ORG2, MSPRole.MSPRoleType.PEER),
                            org.assertj.core.groups.Tuple.tuple(ORG3, MSPRole.MSPRoleType.PEER));
        }

        @Test
        void requires_a_majority_of_all_members_and_one_member_that_is_not_paid() {
            var envelope = policy(List.of(ORG1, ORG2, ORG3, ORG4), Set.of(ORG1, ORG3));

            // Org2MSP (index 1) and Org4MSP (index 3) are unpaid: one of them plus two of the others.
            assertThat(envelope.getRule()).isEqualTo(outOf(1, List.of(
                    outOf(2, List.of(signedBy(1), outOf(2, signedBy(0, 2, 3)))),
                    outOf(2, List.of(signedBy(3), outOf(2, signedBy(0, 1, 2)))))));
        }

        @Test
        void requires_every_member_when_every_member_is_paid() {
            var envelope = policy(List.of(ORG1, ORG2, ORG3), List.of(ORG3, ORG2, ORG1));

            assertThat(envelope.getRule()).isEqualTo(outOf(3, signedBy(0, 1, 2)));
        }

        @Test
        void is_deterministic_whatever_the_order_of_members_and_payees() {
            assertThat(EndorsementPolicies.jobCompletion(List.of(ORG2, ORG1, ORG3), List.of(ORG2, ORG1)))
                    .isEqualTo(EndorsementPolicies.jobCompletion(List.of(ORG1, ORG3, ORG2), Set.of(ORG1, ORG2)));
        }
    }

    // ---- what it allows ---------------------------------------------------------------------------------

    @Nested
    class WithThreeOrgsAndTwoPaid {

        private final SignaturePolicyEnvelope envelope = policy(List.of(ORG1, ORG2, ORG3), Set.of(ORG1, ORG2));

        @Test
        void the_two_paid_orgs_cannot_certify_their_own_pay() {
            assertThat(satisfiedBy(envelope, List.of(ORG1, ORG2))).isFalse();
        }

        @Test
        void the_two_paid_orgs_cannot_certify_their_own_pay_with_extra_peers() {
            assertThat(satisfiedBy(envelope, List.of(ORG1, ORG1, ORG2, ORG2))).isFalse();
        }

        @Test
        void a_paid_org_and_the_independent_org_are_enough() {
            assertThat(satisfiedBy(envelope, List.of(ORG1, ORG3))).isTrue();
            assertThat(satisfiedBy(envelope, List.of(ORG2, ORG3))).isTrue();
        }

        @Test
        void all_three_orgs_are_enough() {
            assertThat(satisfiedBy(envelope, List.of(ORG1, ORG2, ORG3))).isTrue();
        }

        @Test
        void the_independent_org_alone_is_not_a_majority() {
            assertThat(satisfiedBy(envelope, List.of(ORG3))).isFalse();
        }
    }

    @Nested
    class WithFourOrgsAndTwoPaid {

        private final List<String> members = List.of(ORG1, ORG2, ORG3, ORG4);
        private final SignaturePolicyEnvelope envelope = policy(members, Set.of(ORG1, ORG2));

        @Test
        void no_single_org_can_block_completion_by_refusing() {
            for (var refusing : members) {
                var others = members.stream().filter(org -> !org.equals(refusing)).toList();

                assertThat(satisfiedBy(envelope, others)).as("all but %s", refusing).isTrue();
            }
        }

        @Test
        void no_set_of_paid_orgs_satisfies_it_however_many_peers_endorse() {
            assertThat(satisfiedBy(envelope, List.of(ORG1, ORG2))).isFalse();
            assertThat(satisfiedBy(envelope, List.of(ORG1, ORG1, ORG2, ORG2, ORG2))).isFalse();
        }

        @Test
        void is_satisfied_exactly_by_a_majority_that_includes_an_unpaid_org() {
            for (var endorsers : subsets(members)) {
                boolean majority = endorsers.size() >= 3;
                boolean independent = endorsers.contains(ORG3) || endorsers.contains(ORG4);

                assertThat(satisfiedBy(envelope, endorsers)).as("endorsed by %s", endorsers)
                        .isEqualTo(majority && independent);
            }
        }
    }

    @Nested
    class WithFiveOrgsAndThreePaid {

        @Test
        void is_satisfied_exactly_by_a_majority_that_includes_an_unpaid_org() {
            var members = List.of(ORG1, ORG2, ORG3, ORG4, ORG5);
            var payees = Set.of(ORG1, ORG3, ORG5);
            var envelope = policy(members, payees);

            for (var endorsers : subsets(members)) {
                boolean majority = endorsers.size() >= 3;
                boolean independent = endorsers.stream().anyMatch(org -> !payees.contains(org));

                assertThat(satisfiedBy(envelope, endorsers)).as("endorsed by %s", endorsers)
                        .isEqualTo(majority && independent);
            }
        }
    }

    @Nested
    class WhenEveryMemberIsPaid {

        @Test
        void needs_every_member() {
            var members = List.of(ORG1, ORG2, ORG3);
            var envelope = policy(members, members);

            for (var endorsers : subsets(members)) {
                assertThat(satisfiedBy(envelope, endorsers)).as("endorsed by %s", endorsers)
                        .isEqualTo(endorsers.size() == 3);
            }
        }

        @Test
        void a_sole_member_paid_by_the_job_can_complete_it_alone() {
            assertThat(satisfiedBy(policy(List.of(ORG1), List.of(ORG1)), List.of(ORG1))).isTrue();
        }
    }

    @Nested
    class WithTwoOrgsAndOnePaid {

        @Test
        void needs_both_orgs() {
            var envelope = policy(List.of(ORG1, ORG2), Set.of(ORG1));

            assertThat(satisfiedBy(envelope, List.of(ORG1, ORG2))).isTrue();
            assertThat(satisfiedBy(envelope, List.of(ORG2))).isFalse();
            assertThat(satisfiedBy(envelope, List.of(ORG1))).isFalse();
        }
    }

    @Test
    void the_evaluator_consumes_one_identity_per_signed_by_like_fabric() {
        // OutOf(2, [Org1, Org1]) needs two distinct Org1 peers
        var twoOfOrg1 = SignaturePolicyEnvelope.newBuilder()
                .addIdentities(MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                        .setPrincipal(MSPRole.newBuilder().setMspIdentifier(ORG1).setRole(MSPRole.MSPRoleType.PEER)
                                .build().toByteString()))
                .setRule(outOf(2, signedBy(0, 0)))
                .build();

        assertThat(satisfiedBy(twoOfOrg1, List.of(ORG1))).isFalse();
        assertThat(satisfiedBy(twoOfOrg1, List.of(ORG1, ORG1))).isTrue();
    }

    @Nested
    class WhenTheClientsOrgIsInterestedToo {

        @Test
        void a_client_and_its_provider_cannot_complete_a_job_together_while_an_independent_org_exists() {
            var members = List.of(ORG1, ORG2, ORG3);
            // client Org3, its single replica paid to Org1: Org2 is the only independent org
            var envelope = policy(members, Set.of(ORG3, ORG1));

            for (var endorsers : subsets(members)) {
                assertThat(satisfiedBy(envelope, endorsers)).as("endorsed by %s", endorsers)
                        .isEqualTo(endorsers.size() >= 2 && endorsers.contains(ORG2));
            }
        }

        @Test
        void with_five_orgs_a_majority_of_interested_orgs_is_not_enough() {
            var members = List.of(ORG1, ORG2, ORG3, ORG4, ORG5);
            var interested = Set.of(ORG1, ORG2, ORG3);

            assertThat(satisfiedBy(policy(members, interested), List.of(ORG1, ORG2, ORG3))).isFalse();
            assertThat(satisfiedBy(policy(members, interested), List.of(ORG1, ORG2, ORG5))).isTrue();
        }
    }
}
