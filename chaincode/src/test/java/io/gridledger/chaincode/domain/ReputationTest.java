package io.gridledger.chaincode.domain;

import io.gridledger.chaincode.domain.Replica.Verdict;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReputationTest {

    private static Reputation record(long agreed, long dissented, long timedOut) {
        return new Reputation(agreed + dissented, agreed, dissented, timedOut);
    }

    @Property(tries = 300)
    void another_agreement_never_lowers_the_score(@ForAll @LongRange(max = 100_000) long agreed,
                                                  @ForAll @LongRange(max = 100_000) long dissented,
                                                  @ForAll @LongRange(max = 100_000) long timedOut) {
        var before = record(agreed, dissented, timedOut);

        assertThat(before.plus(Reputation.of(Verdict.AGREED)).score()).isGreaterThanOrEqualTo(before.score());
    }

    @Property(tries = 300)
    void another_dissent_or_timeout_never_raises_the_score(@ForAll @LongRange(max = 100_000) long agreed,
                                                           @ForAll @LongRange(max = 100_000) long dissented,
                                                           @ForAll @LongRange(max = 100_000) long timedOut) {
        var before = record(agreed, dissented, timedOut);

        assertThat(before.plus(Reputation.of(Verdict.DISSENTED)).score()).isLessThanOrEqualTo(before.score());
        assertThat(before.plus(Reputation.of(Verdict.NO_SHOW)).score()).isLessThanOrEqualTo(before.score());
    }

    @Property(tries = 300)
    void is_a_per_mille_score(@ForAll @LongRange(max = 1_000_000_000L) long agreed,
                              @ForAll @LongRange(max = 1_000_000_000L) long dissented,
                              @ForAll @LongRange(max = 1_000_000_000L) long timedOut) {
        assertThat(record(agreed, dissented, timedOut).score()).isBetween(0, 1000);
    }

    @Property(tries = 300)
    void counts_a_timeout_exactly_like_a_dissent(@ForAll @LongRange(max = 100_000) long agreed,
                                                 @ForAll @LongRange(max = 100_000) long faults) {
        assertThat(record(agreed, faults, 0).score()).isEqualTo(record(agreed, 0, faults).score());
    }

    @Property(tries = 200)
    void does_not_depend_on_undecided_results(@ForAll @LongRange(max = 100_000) long agreed,
                                              @ForAll @LongRange(max = 100_000) long undecided) {
        var decided = record(agreed, 0, 0);

        assertThat(new Reputation(agreed + undecided, agreed, 0, 0).score()).isEqualTo(decided.score());
    }

    @Nested
    class Score {

        @Test
        void is_zero_for_a_new_node() {
            assertThat(Reputation.NONE.score()).isZero();
        }

        @Test
        void is_the_lower_two_sigma_bound_of_the_beta_belief() {
            // one agreement: Beta(2, 1), mean 2/3, σ = √(2 / (9 × 4)) ≈ 0.2357, mean − 2σ ≈ 0.1953
            assertThat(record(1, 0, 0).score()).isEqualTo(195);
            // a hundred agreements: Beta(101, 1), mean ≈ 0.990196, σ ≈ 0.009708, mean − 2σ ≈ 0.97078
            assertThat(record(100, 0, 0).score()).isEqualTo(970);
        }

        @Test
        void grows_with_every_agreement_of_a_clean_record() {
            int previous = -1;
            for (int agreed = 0; agreed <= 50; agreed++) {
                int score = record(agreed, 0, 0).score();
                if (agreed > 0) {
                    assertThat(score).as("score after %d agreements", agreed).isGreaterThan(previous);
                }
                previous = score;
            }
        }

        @Test
        void rewards_a_long_good_record_over_a_short_one() {
            assertThat(record(1_000, 10, 0).score()).isGreaterThan(record(10, 0, 0).score());
        }

        @Test
        void falls_with_dissent() {
            assertThat(record(50, 1, 0).score()).isLessThan(record(50, 0, 0).score());
            assertThat(record(50, 10, 0).score()).isLessThan(record(50, 1, 0).score());
        }

        @Test
        void falls_with_timeouts() {
            assertThat(record(50, 0, 1).score()).isLessThan(record(50, 0, 0).score());
            assertThat(record(50, 0, 10).score()).isLessThan(record(50, 0, 1).score());
        }

        @Test
        void stays_zero_for_a_node_that_never_agreed() {
            assertThat(record(0, 1, 0).score()).isZero();
            assertThat(record(0, 20, 0).score()).isZero();
            assertThat(record(0, 0, 3).score()).isZero();
        }

        @Test
        void stays_low_for_a_node_that_is_mostly_wrong() {
            assertThat(record(5, 20, 0).score()).isLessThan(record(1, 0, 0).score());
        }

        @Test
        void approaches_but_stays_within_a_thousand() {
            assertThat(record(1_000_000, 0, 0).score()).isEqualTo(999);
            assertThat(record(Long.MAX_VALUE / 4, 0, 0).score()).isLessThanOrEqualTo(1000);
        }
    }

    @Nested
    class Of {

        @Test
        void an_agreement_is_a_completed_and_agreed_result() {
            assertThat(Reputation.of(Verdict.AGREED)).isEqualTo(new Reputation(1, 1, 0, 0));
        }

        @Test
        void a_dissent_is_a_completed_and_dissented_result() {
            assertThat(Reputation.of(Verdict.DISSENTED)).isEqualTo(new Reputation(1, 0, 1, 0));
        }

        @Test
        void a_no_show_is_a_timeout_without_a_completed_result() {
            assertThat(Reputation.of(Verdict.NO_SHOW)).isEqualTo(new Reputation(0, 0, 0, 1));
        }

        @Test
        void an_undecided_result_is_completed_but_neither_agreed_nor_dissented() {
            assertThat(Reputation.of(Verdict.UNDECIDED)).isEqualTo(new Reputation(1, 0, 0, 0));
        }

        @Test
        void adds_up_record_by_record() {
            var total = Reputation.NONE.plus(Reputation.of(Verdict.AGREED)).plus(Reputation.of(Verdict.AGREED))
                    .plus(Reputation.of(Verdict.DISSENTED)).plus(Reputation.of(Verdict.NO_SHOW))
                    .plus(Reputation.of(Verdict.UNDECIDED));

            assertThat(total).isEqualTo(new Reputation(4, 2, 1, 1));
        }

        @Test
        void none_adds_nothing() {
            var some = new Reputation(7, 5, 2, 3);

            assertThat(some.plus(Reputation.NONE)).isEqualTo(some);
            assertThat(Reputation.NONE.plus(some)).isEqualTo(some);
        }
    }
}
