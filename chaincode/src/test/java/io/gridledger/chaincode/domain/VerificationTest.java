package io.gridledger.chaincode.domain;

import io.gridledger.chaincode.domain.Verification.Mode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.gridledger.chaincode.domain.Fixtures.paramsBuilder;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

class VerificationTest {

    @Property(tries = 100)
    void accepts_a_replicated_quorum_exactly_when_it_is_a_strict_majority(
            @ForAll @IntRange(min = 2, max = Verification.MAX_REPLICAS) int replicas,
            @ForAll @IntRange(min = 1, max = Verification.MAX_REPLICAS) int quorum) {
        if (quorum <= replicas && 2 * quorum > replicas) {
            assertThat(Verification.replicated(replicas, quorum))
                    .isEqualTo(new Verification(Mode.REPLICATED, replicas, quorum, 0, false));
        } else {
            assertInvalid(() -> Verification.replicated(replicas, quorum));
        }
    }

    @Nested
    class Single {

        @Test
        void runs_one_replica_with_quorum_one() {
            assertThat(Verification.single()).isEqualTo(new Verification(Mode.SINGLE, 1, 1, 1, false));
        }

        @Test
        void normalises_unspecified_replicas_and_quorum_to_one() {
            var verification = new Verification(Mode.SINGLE, 0, 0, 0, false);

            assertThat(verification.replicas()).isEqualTo(1);
            assertThat(verification.quorum()).isEqualTo(1);
        }

        @Test
        void rejects_more_than_one_replica_or_a_quorum_above_one() {
            assertInvalid(() -> new Verification(Mode.SINGLE, 2, 1, 0, false))
                    .hasMessage("verification: SINGLE mode runs exactly one replica with quorum 1");
            assertInvalid(() -> new Verification(Mode.SINGLE, 1, 2, 0, false)).hasMessageContaining("SINGLE mode");
        }
    }

    @Nested
    class Replicated {

        @ParameterizedTest(name = "{1} of {0}")
        @CsvSource({"2,2", "3,2", "3,3", "4,3", "5,3", "7,4", "7,7"})
        void accepts_a_strict_majority_quorum(int replicas, int quorum) {
            var verification = Verification.replicated(replicas, quorum);

            assertThat(verification.replicas()).isEqualTo(replicas);
            assertThat(verification.quorum()).isEqualTo(quorum);
        }

        @Test
        void rejects_a_single_replica() {
            assertInvalid(() -> Verification.replicated(1, 1))
                    .hasMessage("verification.replicas must be at least 2 for REPLICATED, got 1");
        }

        @ParameterizedTest(name = "{1} of {0}")
        @CsvSource({"2,1", "4,2", "5,2", "7,3", "3,0"})
        void rejects_a_quorum_that_is_not_a_majority(int replicas, int quorum) {
            assertInvalid(() -> Verification.replicated(replicas, quorum))
                    .hasMessageContaining("verification.quorum must be a strict majority of replicas")
                    .hasMessageContaining("got " + quorum);
        }

        @Test
        void says_which_quorums_would_be_a_majority() {
            assertInvalid(() -> Verification.replicated(5, 2)).hasMessageContaining("(3..5)");
        }

        @Test
        void rejects_a_quorum_larger_than_the_replicas() {
            assertInvalid(() -> Verification.replicated(3, 4)).hasMessage("verification.quorum 4 exceeds replicas 3");
        }

        @Test
        void rejects_more_replicas_than_the_maximum() {
            assertInvalid(() -> Verification.replicated(8, 5))
                    .hasMessage("verification.replicas must be between 0 and 7, got 8");
        }

        @Test
        void rejects_negative_replicas_or_quorum() {
            assertInvalid(() -> Verification.replicated(-1, 0)).hasMessageContaining("verification.replicas");
            assertInvalid(() -> Verification.replicated(0, -1)).hasMessageContaining("verification.quorum");
        }

        @Test
        void rejects_a_quorum_without_replicas() {
            assertInvalid(() -> Verification.replicated(0, 2)).hasMessageContaining("must be at least 2");
        }

        @Test
        void requires_a_mode() {
            assertInvalid(() -> new Verification(null, 1, 1, 0, false)).hasMessage("verification.mode is required");
        }
    }

    @Nested
    class Resolve {

        @Test
        void fills_in_the_consortium_defaults_for_unspecified_replication() {
            var params = paramsBuilder().members(Fixtures.ORGS).defaultReplicas(5).defaultQuorum(3).build();

            assertThat(Verification.replicated(0, 0).resolve(params)).isEqualTo(Verification.replicated(5, 3));
        }

        @Test
        void the_consortium_default_replicates_at_least_twice() {
            assertInvalid(() -> paramsBuilder().defaultReplicas(1).defaultQuorum(1).build())
                    .hasMessageContaining("defaultReplicas must be between 2");
        }

        @Test
        void keeps_an_explicit_replication() {
            var explicit = Verification.replicated(3, 3);

            assertThat(explicit.resolve(paramsBuilder().defaultReplicas(5).defaultQuorum(3).build())).isSameAs(explicit);
        }

        @Test
        void keeps_a_single_execution() {
            assertThat(Verification.single().resolve(Fixtures.params())).isEqualTo(Verification.single());
        }
    }

    @Nested
    class TieBreaking {

        @Test
        void by_default_may_add_as_many_replicas_as_a_quorum_can_lack() {
            assertThat(Verification.replicated(2, 2).maxReplicas()).isEqualTo(3);
            assertThat(Verification.replicated(3, 2).maxReplicas()).isEqualTo(4);
            assertThat(Verification.replicated(5, 3).maxReplicas()).isEqualTo(7);
            assertThat(Verification.replicated(7, 7).maxReplicas()).isEqualTo(Verification.MAX_TOTAL_REPLICAS);
        }

        @Test
        void a_client_may_opt_out_or_choose_a_bound_but_not_below_its_replicas() {
            assertThat(Verification.replicated(3, 2).withMaxReplicas(3).maxReplicas()).isEqualTo(3);
            assertInvalid(() -> Verification.replicated(3, 2).withMaxReplicas(2))
                    .hasMessage("verification.maxReplicas 2 is below replicas 3");
            assertInvalid(() -> Verification.replicated(3, 2).withMaxReplicas(13)).hasMessageContaining("maxReplicas");
        }

        @Test
        void a_single_execution_never_adds_replicas() {
            assertThat(Verification.single().maxReplicas()).isEqualTo(1);
        }

        @Test
        void agreement_is_counted_in_orgs_unless_replicas_may_share_one() {
            assertThat(Verification.replicated(3, 2).countsOrgs()).isTrue();
            assertThat(Verification.replicated(3, 2).allowingSameOrg().countsOrgs()).isFalse();
        }
    }
}
