package io.gridledger.chaincode.domain;

import io.gridledger.chaincode.domain.Consensus.Split;
import io.gridledger.chaincode.domain.Consensus.Pending;
import io.gridledger.chaincode.domain.Consensus.Reached;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gridledger.chaincode.domain.Fixtures.DIGEST_A;
import static io.gridledger.chaincode.domain.Fixtures.DIGEST_B;
import static io.gridledger.chaincode.domain.Fixtures.DIGEST_C;
import static io.gridledger.chaincode.domain.Fixtures.DIGEST_D;
import static io.gridledger.chaincode.domain.Fixtures.assigned;
import static io.gridledger.chaincode.domain.Fixtures.committed;
import static io.gridledger.chaincode.domain.Fixtures.fingerprint;
import static io.gridledger.chaincode.domain.Fixtures.ORG2;
import static io.gridledger.chaincode.domain.Fixtures.node;
import static io.gridledger.chaincode.domain.Fixtures.revealed;
import static io.gridledger.chaincode.domain.Fixtures.revealedAll;
import static org.assertj.core.api.Assertions.assertThat;

class ConsensusTest {


    private static final boolean WINDOW_OPEN = false;
    private static final boolean WINDOW_CLOSED = true;

    private static Reached reached(Consensus.Decision decision) {
        assertThat(decision).isInstanceOf(Reached.class);
        return (Reached) decision;
    }

    private static Split impossible(Consensus.Decision decision) {
        assertThat(decision).isInstanceOf(Split.class);
        return (Split) decision;
    }

    /** Decides counting orgs, every committed replica may reveal while the window is open. */
    private static Consensus.Decision decide(List<ReplicaState> replicas, int quorum, boolean windowClosed) {
        return Consensus.decide(replicas, quorum, true, r -> !windowClosed);
    }

    @Nested
    class TwoOfThree {

        @Test
        void is_reached_when_all_three_agree() {
            var replicas = revealedAll(DIGEST_A, DIGEST_A, DIGEST_A);

            var decision = reached(decide(replicas, 2, WINDOW_OPEN));

            assertThat(decision.fingerprint()).isEqualTo(fingerprint(DIGEST_A));
            assertThat(decision.agreeing()).containsExactlyElementsOf(replicas);
            assertThat(decision.dissenting()).isEmpty();
            assertThat(decision.silent()).isEmpty();
        }

        @Test
        void is_reached_by_two_agreeing_replicas_and_names_the_dissenter() {
            var replicas = revealedAll(DIGEST_B, DIGEST_A, DIGEST_A);

            var decision = reached(decide(replicas, 2, WINDOW_OPEN));

            assertThat(decision.fingerprint()).isEqualTo(fingerprint(DIGEST_A));
            assertThat(decision.agreeing()).containsExactly(replicas.get(1), replicas.get(2));
            assertThat(decision.dissenting()).containsExactly(replicas.get(0));
            assertThat(decision.silent()).isEmpty();
        }

        @Test
        void waits_for_a_committed_replica_before_deciding_even_with_a_quorum() {
            var replicas = List.of(revealed(0, DIGEST_A), revealed(1, DIGEST_A), committed(2, DIGEST_B));

            assertThat(decide(replicas, 2, WINDOW_OPEN)).isInstanceOf(Pending.class);
        }

        @Test
        void decides_without_a_committed_replica_once_the_window_closed_and_names_it_silent() {
            var replicas = List.of(revealed(0, DIGEST_A), committed(1, DIGEST_B), revealed(2, DIGEST_A));

            var decision = reached(decide(replicas, 2, WINDOW_CLOSED));

            assertThat(decision.agreeing()).containsExactly(replicas.get(0), replicas.get(2));
            assertThat(decision.dissenting()).isEmpty();
            assertThat(decision.silent()).containsExactly(replicas.get(1));
        }

        @Test
        void is_pending_when_the_split_can_still_be_broken() {
            var replicas = List.of(revealed(0, DIGEST_A), revealed(1, DIGEST_B), committed(2, DIGEST_A));

            assertThat(decide(replicas, 2, WINDOW_OPEN)).isInstanceOf(Pending.class);
        }

        @Test
        void is_pending_while_no_replica_has_revealed() {
            var replicas = List.of(committed(0, DIGEST_A), committed(1, DIGEST_A), committed(2, DIGEST_A));

            assertThat(decide(replicas, 2, WINDOW_OPEN)).isInstanceOf(Pending.class);
        }

        @Test
        void is_pending_with_a_single_reveal() {
            var replicas = List.of(revealed(0, DIGEST_A), committed(1, DIGEST_A), committed(2, DIGEST_A));

            assertThat(decide(replicas, 2, WINDOW_OPEN)).isInstanceOf(Pending.class);
        }
    }

    @Nested
    class WhenQuorumDisagrees {

        @Test
        void is_impossible_when_every_replica_revealed_a_different_digest() {
            var replicas = revealedAll(DIGEST_A, DIGEST_B, DIGEST_C);

            var decision = impossible(decide(replicas, 2, WINDOW_OPEN));

            assertThat(decision.revealed()).containsExactlyElementsOf(replicas);
            assertThat(decision.silent()).isEmpty();
        }

        @Test
        void waits_for_every_reveal_even_when_the_quorum_can_no_longer_be_reached() {
            // 3 of 5: four different digests; the committed replica cannot lift the best group to 3, but it is judged
            // on what it reveals, and a tie-break must know every side
            var replicas = List.of(revealed(0, DIGEST_A), revealed(1, DIGEST_B), revealed(2, DIGEST_C),
                    revealed(3, DIGEST_D), committed(4, DIGEST_A));

            assertThat(decide(replicas, 3, WINDOW_OPEN)).isInstanceOf(Pending.class);
            assertThat(impossible(decide(replicas, 3, WINDOW_CLOSED)).silent()).containsExactly(replicas.get(4));
        }

        @Test
        void is_impossible_when_the_window_closed_below_the_quorum() {
            var replicas = List.of(revealed(0, DIGEST_A), committed(1, DIGEST_A), committed(2, DIGEST_A));

            var decision = impossible(decide(replicas, 2, WINDOW_CLOSED));

            assertThat(decision.revealed()).containsExactly(replicas.get(0));
            assertThat(decision.silent()).containsExactly(replicas.get(1), replicas.get(2));
        }

        @Test
        void is_impossible_when_the_window_closed_and_nobody_revealed() {
            var replicas = List.of(committed(0, DIGEST_A), committed(1, DIGEST_A), committed(2, DIGEST_A));

            var decision = impossible(decide(replicas, 2, WINDOW_CLOSED));

            assertThat(decision.revealed()).isEmpty();
            assertThat(decision.silent()).containsExactlyElementsOf(replicas);
        }

        @Test
        void does_not_count_on_a_replica_that_never_committed() {
            var replicas = List.of(revealed(0, DIGEST_A), assigned(1), revealed(2, DIGEST_B));

            var decision = impossible(decide(replicas, 2, WINDOW_OPEN));

            assertThat(decision.silent()).containsExactly(replicas.get(1));
            assertThat(decision.revealed()).containsExactly(replicas.get(0), replicas.get(2));
        }
    }

    @Nested
    class ThreeOfFive {

        @Test
        void is_reached_by_three_agreeing_replicas_once_all_five_revealed() {
            var replicas = revealedAll(DIGEST_A, DIGEST_B, DIGEST_A, DIGEST_B, DIGEST_A);

            var decision = reached(decide(replicas, 3, WINDOW_OPEN));

            assertThat(decision.fingerprint()).isEqualTo(fingerprint(DIGEST_A));
            assertThat(decision.agreeing()).containsExactly(replicas.get(0), replicas.get(2), replicas.get(4));
            assertThat(decision.dissenting()).containsExactly(replicas.get(1), replicas.get(3));
            assertThat(decision.silent()).isEmpty();
        }

        @Test
        void waits_for_the_last_committed_replica_although_three_agree() {
            var replicas = List.of(revealed(0, DIGEST_A), revealed(1, DIGEST_A), revealed(2, DIGEST_A),
                    revealed(3, DIGEST_B), committed(4, DIGEST_B));

            assertThat(decide(replicas, 3, WINDOW_OPEN)).isInstanceOf(Pending.class);
        }

        @Test
        void decides_with_two_silent_replicas_once_the_window_closed() {
            var replicas = List.of(revealed(0, DIGEST_A), committed(1, DIGEST_A), revealed(2, DIGEST_A),
                    committed(3, DIGEST_B), revealed(4, DIGEST_A));

            var decision = reached(decide(replicas, 3, WINDOW_CLOSED));

            assertThat(decision.agreeing()).containsExactly(replicas.get(0), replicas.get(2), replicas.get(4));
            assertThat(decision.dissenting()).isEmpty();
            assertThat(decision.silent()).containsExactly(replicas.get(1), replicas.get(3));
        }

        @Test
        void is_pending_on_a_two_two_split_with_one_reveal_to_come() {
            var replicas = List.of(revealed(0, DIGEST_A), revealed(1, DIGEST_A), revealed(2, DIGEST_B),
                    revealed(3, DIGEST_B), committed(4, DIGEST_B));

            assertThat(decide(replicas, 3, WINDOW_OPEN)).isInstanceOf(Pending.class);
        }

        @Test
        void is_impossible_on_a_two_two_split_once_the_window_closed() {
            var replicas = List.of(revealed(0, DIGEST_A), revealed(1, DIGEST_A), revealed(2, DIGEST_B),
                    revealed(3, DIGEST_B), committed(4, DIGEST_B));

            var decision = impossible(decide(replicas, 3, WINDOW_CLOSED));

            assertThat(decision.revealed()).hasSize(4);
            assertThat(decision.silent()).containsExactly(replicas.get(4));
        }

        @Test
        void is_pending_while_three_different_digests_can_still_be_outvoted() {
            // best group 1 + two committed replicas still to come = 3
            var replicas = List.of(revealed(0, DIGEST_A), revealed(1, DIGEST_B), revealed(2, DIGEST_C),
                    committed(3, DIGEST_A), committed(4, DIGEST_A));

            assertThat(decide(replicas, 3, WINDOW_OPEN)).isInstanceOf(Pending.class);
        }

        @Test
        void is_reached_with_the_minority_listed_as_dissenting_and_the_silent_apart() {
            var replicas = List.of(revealed(0, DIGEST_B), revealed(1, DIGEST_A), revealed(2, DIGEST_A),
                    revealed(3, DIGEST_A), committed(4, DIGEST_C));

            var decision = reached(decide(replicas, 3, WINDOW_CLOSED));

            assertThat(decision.dissenting()).containsExactly(replicas.get(0));
            assertThat(decision.silent()).containsExactly(replicas.get(4));
        }
    }

    @Nested
    class CountingOrgs {

        /** Replica {@code index} revealed by a node of {@code org} instead of its fixture org. */
        private ReplicaState revealedOn(int index, String org, String digest) {
            var state = revealed(index, digest);
            var r = state.replica();
            var moved = new Replica(r.jobId(), r.index(), r.attempt(), r.round(), node(org, "node-" + index), org,
                    r.offerId(), r.slot(), r.unitPrice(), r.collateral(), r.assignedAt(), r.commitDeadline(), r.status());
            return new ReplicaState(moved, new ReplicaCommit(r.jobId(), r.index(), r.attempt(), moved.nodeId(),
                    state.commit().commitment(), state.commit().committedAt()), new ReplicaReveal(r.jobId(), r.index(),
                    r.attempt(), moved.nodeId(), state.reveal().fingerprint(), state.reveal().runtimeSeconds(),
                    state.reveal().revealedAt()));
        }

        @Test
        void two_nodes_of_one_org_are_one_voice_and_cannot_outvote_an_honest_org() {
            var replicas = List.of(revealedOn(0, ORG2, DIGEST_B), revealedOn(1, ORG2, DIGEST_B), revealed(2, DIGEST_A));

            var decision = impossible(Consensus.decide(replicas, 2, true, r -> true));

            assertThat(decision.strongest()).isEqualTo(1);
            assertThat(decision.groups()).containsKeys(fingerprint(DIGEST_A), fingerprint(DIGEST_B));
        }

        @Test
        void nodes_count_one_by_one_when_the_client_allowed_replicas_on_one_org() {
            var replicas = List.of(revealedOn(0, ORG2, DIGEST_B), revealedOn(1, ORG2, DIGEST_B), revealed(2, DIGEST_A));

            var decision = reached(Consensus.decide(replicas, 2, false, r -> true));

            assertThat(decision.fingerprint()).isEqualTo(fingerprint(DIGEST_B));
            assertThat(decision.dissenting()).containsExactly(replicas.get(2));
        }

        @Test
        void a_replica_whose_window_closed_is_silent_while_others_may_still_reveal() {
            var replicas = List.of(revealed(0, DIGEST_A), committed(1, DIGEST_A), committed(2, DIGEST_A));

            var decision = Consensus.decide(replicas, 2, true, r -> r.index() == 2);

            assertThat(decision).isInstanceOf(Consensus.Pending.class);
            assertThat(((Consensus.Pending) decision).waitingFor()).isEqualTo(1);
        }
    }
}
