package io.gridledger.chaincode.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.gridledger.chaincode.domain.Fixtures.ORG1;
import static io.gridledger.chaincode.domain.Fixtures.ORG2;
import static io.gridledger.chaincode.domain.Fixtures.ORG3;
import static io.gridledger.chaincode.domain.Fixtures.ORG4;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reputation is earned, not chosen. Scores below use one evidence unit per 10,000 credits and at most 100 units per
 * client org, the fixture parameters.
 */
class ReputationTest {

    private static final long UNIT = 10_000;
    private static final int CAP = 100;

    /** A node of Org2 that agreed {@code count} times on jobs of clients of {@code clientOrg}, each paying {@code paid}. */
    private static Reputation agreed(String clientOrg, int count, long paid) {
        var record = Reputation.NONE;
        for (int i = 0; i < count; i++) {
            record = record.plus(Reputation.of(Verdict.AGREED, clientOrg, ORG2, paid));
        }
        return record;
    }

    private static Reputation faults(long dissented, long noShows, long disputed) {
        return new Reputation(Map.of(), dissented, noShows, disputed, 0);
    }

    @Nested
    class Farming {

        @Test
        void agreeing_for_a_client_of_the_nodes_own_org_earns_nothing() {
            var selfDealt = agreed(ORG2, 1_000, 1_000_000);

            assertThat(selfDealt.score(UNIT, CAP)).isZero();
            assertThat(selfDealt.unrated()).isEqualTo(1_000);
            assertThat(selfDealt.agreed()).isZero();
        }

        @Test
        void free_jobs_earn_nothing() {
            var free = agreed(ORG1, 1_000, 0);

            assertThat(free.score(UNIT, CAP)).isZero();
            assertThat(free.unrated()).isEqualTo(1_000);
        }

        @Test
        void one_friendly_client_org_can_give_at_most_its_cap() {
            var oneFriend = agreed(ORG1, 10_000, 1_000_000);
            var capped = agreed(ORG1, CAP, UNIT);

            assertThat(oneFriend.positiveEvidence(UNIT, CAP)).isEqualTo(CAP);
            assertThat(oneFriend.score(UNIT, CAP)).isEqualTo(capped.score(UNIT, CAP));
        }

        @Test
        void the_same_value_from_more_client_orgs_scores_higher() {
            var fromOne = agreed(ORG1, 300, UNIT);
            var fromThree = agreed(ORG1, 100, UNIT).plus(agreed(ORG3, 100, UNIT)).plus(agreed(ORG4, 100, UNIT));

            assertThat(fromThree.score(UNIT, CAP)).isGreaterThan(fromOne.score(UNIT, CAP));
        }

        @Test
        void cheap_jobs_weigh_less_than_valuable_ones() {
            var tenCheap = agreed(ORG1, 10, UNIT / 10);
            var tenValuable = agreed(ORG1, 10, UNIT);

            assertThat(tenCheap.positiveEvidence(UNIT, CAP)).isEqualTo(1.0);
            assertThat(tenCheap.score(UNIT, CAP)).isLessThan(tenValuable.score(UNIT, CAP));
        }
    }

    @Nested
    class Score {

        @Test
        void is_zero_without_evidence() {
            assertThat(Reputation.NONE.score(UNIT, CAP)).isZero();
        }

        @Test
        void is_the_lower_two_sigma_bound_of_the_beta_belief() {
            assertThat(agreed(ORG1, 1, UNIT).score(UNIT, CAP)).isEqualTo(195);
            assertThat(agreed(ORG1, 10, UNIT).score(UNIT, CAP)).isEqualTo(763);
            assertThat(agreed(ORG1, 100, UNIT).score(UNIT, CAP)).isEqualTo(970);
        }

        @Test
        void falls_with_dissent_no_shows_and_half_as_much_with_disputes() {
            var clean = agreed(ORG1, 50, UNIT);

            assertThat(clean.plus(faults(5, 0, 0)).score(UNIT, CAP)).isLessThan(clean.score(UNIT, CAP));
            assertThat(clean.plus(faults(0, 5, 0)).score(UNIT, CAP)).isEqualTo(clean.plus(faults(5, 0, 0)).score(UNIT, CAP));
            assertThat(clean.plus(faults(0, 0, 10)).score(UNIT, CAP)).isEqualTo(clean.plus(faults(5, 0, 0)).score(UNIT, CAP));
        }

        @Test
        void stays_within_a_thousand() {
            var huge = agreed(ORG1, 1, Params.MAX_CREDITS).plus(agreed(ORG3, 1, Params.MAX_CREDITS));

            assertThat(huge.score(UNIT, 1_000_000)).isBetween(0, 999);
        }
    }

    @Nested
    class Of {

        @Test
        void an_agreement_paid_by_another_org_records_the_value_under_that_org() {
            var record = Reputation.of(Verdict.AGREED, ORG1, ORG2, 2_500);

            assertThat(record.earned()).containsExactly(Map.entry(ORG1, new Reputation.Earned(2_500, 1)));
        }

        @Test
        void each_fault_counts_once_and_undecided_work_counts_nothing() {
            assertThat(Reputation.of(Verdict.DISSENTED, ORG1, ORG2, 0).dissented()).isEqualTo(1);
            assertThat(Reputation.of(Verdict.NO_SHOW, ORG1, ORG2, 0).noShows()).isEqualTo(1);
            assertThat(Reputation.of(Verdict.DISPUTED, ORG1, ORG2, 0).disputed()).isEqualTo(1);
            assertThat(Reputation.of(Verdict.UNDECIDED, ORG1, ORG2, 100)).isEqualTo(Reputation.NONE);
        }

        @Test
        void adds_up_per_client_org() {
            var record = Reputation.of(Verdict.AGREED, ORG1, ORG2, 100).plus(Reputation.of(Verdict.AGREED, ORG1, ORG2, 50))
                    .plus(Reputation.of(Verdict.AGREED, ORG3, ORG2, 10));

            assertThat(record.earned()).containsExactly(Map.entry(ORG1, new Reputation.Earned(150, 2)),
                    Map.entry(ORG3, new Reputation.Earned(10, 1)));
            assertThat(record.agreed()).isEqualTo(3);
        }
    }

    @Property(tries = 300)
    void more_paid_agreement_never_lowers_the_score(@ForAll @IntRange(max = 500) int agreements,
                                                     @ForAll @LongRange(max = 50) long faults) {
        var before = agreed(ORG1, agreements, UNIT).plus(faults(faults, 0, 0));
        var after = before.plus(Reputation.of(Verdict.AGREED, ORG3, ORG2, UNIT));

        assertThat(after.score(UNIT, CAP)).isGreaterThanOrEqualTo(before.score(UNIT, CAP));
    }

    @Property(tries = 300)
    void another_fault_never_raises_the_score(@ForAll @IntRange(max = 500) int agreements,
                                              @ForAll @LongRange(max = 50) long faults) {
        var before = agreed(ORG1, agreements, UNIT).plus(faults(faults, 0, 0));

        assertThat(before.plus(faults(0, 1, 0)).score(UNIT, CAP)).isLessThanOrEqualTo(before.score(UNIT, CAP));
        assertThat(before.plus(faults(0, 0, 1)).score(UNIT, CAP)).isLessThanOrEqualTo(before.score(UNIT, CAP));
    }
}
