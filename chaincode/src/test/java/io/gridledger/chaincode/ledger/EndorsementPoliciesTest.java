package io.gridledger.chaincode.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key-level policy that guards a job's completion: a majority of member orgs, at least one of which is not
 * paid by the job.
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

    // ---- evaluator --------------------------------------------------------------------------------------

    /**
     * True when peers of {@code endorsingOrgs} (one peer identity per entry; list an org twice for two of its
     * peers) satisfy the policy.
     */
    static boolean satisfiedBy(SignaturePolicyEnvelope envelope, List<String> endorsingOrgs) {
        return evaluate(envelope.getRule(), envelope, endorsingOrgs, new boolean[endorsingOrgs.size()]);
    }

    private static boolean evaluate(SignaturePolicy rule, SignaturePolicyEnvelope envelope, List<String> endorsers,
                                    boolean[] used) {
        switch (rule.getTypeCase()) {
            case SIGNED_BY -> {
                var principal = role(envelope.getIdentities(rule.getSignedBy()));
                for (int i = 0; i < endorsers.size(); i++) {
                    // every endorser is a peer; it satisfies a PEER or MEMBER principal of its own org
                    boolean roleMatches = principal.getRole() == MSPRole.MSPRoleType.PEER
                            || principal.getRole() == MSPRole.MSPRoleType.MEMBER;
                    if (!used[i] && roleMatches && endorsers.get(i).equals(principal.getMspIdentifier())) {
                        used[i] = true;
                        return true;
                    }
                }
                return false;
            }
            case N_OUT_OF -> {
                int verified = 0;
                var scratch = new boolean[used.length];
                for (var sub : rule.getNOutOf().getRulesList()) {
                    System.arraycopy(used, 0, scratch, 0, used.length);
                    if (evaluate(sub, envelope, endorsers, scratch)) {
                        verified++;
                        System.arraycopy(scratch, 0, used, 0, used.length);
                    }
                }
                return verified >= rule.getNOutOf().getN();
            }
            default -> throw new AssertionError("unexpected rule " + rule);
        }
    }

    private static MSPRole role(MSPPrincipal principal) {
        assertThat(principal.getPrincipalClassification()).isEqualTo(MSPPrincipal.Classification.ROLE);
        try {
            return MSPRole.parseFrom(principal.getPrincipal());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("principal is not an MSPRole", e);
        }
    }

    /** Every subset of {@code orgs}, each org endorsing with one peer. */
    private static List<List<String>> subsets(List<String> orgs) {
        var subsets = new ArrayList<List<String>>();
        for (int mask = 0; mask < 1 << orgs.size(); mask++) {
            var subset = new ArrayList<String>();
            for (int i = 0; i < orgs.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(orgs.get(i));
                }
            }
            subsets.add(subset);
        }
        return subsets;
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
}
