package io.gridledger.chaincode.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

class PricingTest {

    // jqwik does not run properties inside JUnit @Nested classes, so properties live at the top level.

    @Property(tries = 300)
    void cost_is_the_ceiling_of_the_exact_quotient(@ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long unitPrice,
                                             @ForAll @LongRange(min = 0, max = 2_000_000_000L) long microUnits,
                                             @ForAll @LongRange(min = 0, max = 1_000) long seconds) {
        var exact = new BigDecimal(BigInteger.valueOf(unitPrice).multiply(BigInteger.valueOf(microUnits))
                .multiply(BigInteger.valueOf(seconds))).divide(BigDecimal.valueOf(1_000_000));
        var expected = exact.setScale(0, RoundingMode.CEILING);
        if (expected.compareTo(BigDecimal.valueOf(Params.MAX_CREDITS)) > 0) {
            assertInvalid(() -> Pricing.cost(unitPrice, microUnits, seconds));
        } else {
            assertThat(Pricing.cost(unitPrice, microUnits, seconds)).isEqualTo(expected.longValueExact());
        }
    }

    @Property(tries = 200)
    void cost_never_decreases_when_price_or_time_grows(@ForAll @LongRange(min = 1, max = 1_000_000) long unitPrice,
                                                  @ForAll @LongRange(min = 0, max = 100_000_000) long microUnits,
                                                  @ForAll @LongRange(min = 0, max = 100_000) long seconds) {
        long base = Pricing.cost(unitPrice, microUnits, seconds);
        assertThat(Pricing.cost(unitPrice + 1, microUnits, seconds)).isGreaterThanOrEqualTo(base);
        assertThat(Pricing.cost(unitPrice, microUnits, seconds + 1)).isGreaterThanOrEqualTo(base);
    }

    @Property(tries = 300)
    void fee_is_the_floor_of_the_exact_share(@ForAll @LongRange(min = 0, max = Params.MAX_CREDITS) long amount,
                                             @ForAll @IntRange(min = 0, max = 10_000) int basisPoints) {
        long fee = Pricing.fee(amount, basisPoints);
        var scaled = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(basisPoints));
        assertThat(BigInteger.valueOf(fee).multiply(BigInteger.valueOf(10_000))).isLessThanOrEqualTo(scaled);
        assertThat(BigInteger.valueOf(fee + 1).multiply(BigInteger.valueOf(10_000))).isGreaterThan(scaled);
        assertThat(fee).isBetween(0L, amount);
    }

    @Nested
    class Cost {

        @Test
        void charges_unit_price_times_resource_units_times_seconds() {
            // 40 credits per RU-second × 2.5 RU × 60 s
            assertThat(Pricing.cost(40, 2_500_000, 60)).isEqualTo(6_000);
        }

        @Test
        void rounds_a_fraction_of_a_credit_up_so_a_provider_is_never_underpaid() {
            assertThat(Pricing.cost(1, 1, 1)).isEqualTo(1);                 // 0.000001 credits
            assertThat(Pricing.cost(3, 500_000, 1)).isEqualTo(2);           // 1.5 credits
            assertThat(Pricing.cost(1, 1_000_001, 1)).isEqualTo(2);         // 1.000001 credits
        }

        @Test
        void does_not_round_an_exact_amount() {
            assertThat(Pricing.cost(1, 1_000_000, 1)).isEqualTo(1);
            assertThat(Pricing.cost(7, 3_000_000, 10)).isEqualTo(210);
        }

        @Test
        void is_zero_for_no_time_or_no_resources() {
            assertThat(Pricing.cost(100, 1_500_000, 0)).isZero();
            assertThat(Pricing.cost(100, 0, 600)).isZero();
        }

        @Test
        void reaches_exactly_the_top_of_the_credit_range() {
            // 10^12 × 10^6 µRU × 1000 s / 10^6 = 10^15
            assertThat(Pricing.cost(Pricing.MAX_UNIT_PRICE, ResourceUnits.MICRO, 1_000)).isEqualTo(Params.MAX_CREDITS);
        }

        @Test
        void rejects_a_cost_one_credit_beyond_the_credit_range() {
            assertThat(Pricing.cost(Params.MAX_CREDITS, ResourceUnits.MICRO, 1)).isEqualTo(Params.MAX_CREDITS);
            assertInvalid(() -> Pricing.cost(Params.MAX_CREDITS + 1, ResourceUnits.MICRO, 1))
                    .hasMessageContaining("cost " + (Params.MAX_CREDITS + 1) + " exceeds the credit range");
        }

        @Test
        void rejects_a_product_that_overflows_a_long_instead_of_wrapping_around() {
            // 10^12 × 10^9 × 3·10^6 ≈ 3·10^27: far beyond Long.MAX_VALUE before the division
            assertInvalid(() -> Pricing.cost(Pricing.MAX_UNIT_PRICE, 1_000_000_000, 3_000_000))
                    .hasMessageContaining("exceeds the credit range")
                    .hasMessageContaining("lower the price, resources or timeout");
        }


    }

    @Nested
    class FeeAndSlash {

        @Test
        void fee_rounds_down() {
            assertThat(Pricing.fee(399, 250)).isEqualTo(9);      // 9.975
            assertThat(Pricing.fee(400, 250)).isEqualTo(10);     // exact
            assertThat(Pricing.fee(39, 250)).isZero();           // 0.975
        }

        @Test
        void fee_of_zero_basis_points_or_zero_amount_is_zero() {
            assertThat(Pricing.fee(1_000_000, 0)).isZero();
            assertThat(Pricing.fee(0, 5_000)).isZero();
        }

        @Test
        void fee_of_ten_thousand_basis_points_is_the_whole_amount() {
            assertThat(Pricing.fee(Params.MAX_CREDITS, 10_000)).isEqualTo(Params.MAX_CREDITS);
        }

        @Test
        void slash_rounds_down() {
            assertThat(Pricing.slash(1_999, 1_000)).isEqualTo(199);  // 199.9
            assertThat(Pricing.slash(5_000, 1_000)).isEqualTo(500);
        }

        @Test
        void fee_is_exact_for_amounts_whose_product_with_basis_points_overflows_a_long() {
            // 10^15 × 5000 = 5·10^18 fits, but Long.MAX_VALUE / 2 × 5000 would not
            long amount = Long.MAX_VALUE / 10_000;
            assertThat(Pricing.fee(amount, 10_000)).isEqualTo(amount);
            assertThat(Pricing.fee(Long.MAX_VALUE / 2, 2)).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE / 2)
                    .multiply(BigInteger.TWO).divide(BigInteger.valueOf(10_000)).longValueExact());
        }

    }
}
