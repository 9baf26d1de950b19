package io.gridledger.chaincode.domain;

import io.gridledger.chaincode.domain.Offer.Status;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.gridledger.chaincode.domain.Fixtures.NOW;
import static io.gridledger.chaincode.domain.Fixtures.ORG2;
import static io.gridledger.chaincode.domain.Fixtures.cpuSlot;
import static io.gridledger.chaincode.domain.Fixtures.gpuSlot;
import static io.gridledger.chaincode.domain.Fixtures.node;
import static io.gridledger.chaincode.domain.Fixtures.offer;
import static io.gridledger.chaincode.domain.Fixtures.offerSpec;
import static io.gridledger.chaincode.domain.Fixtures.params;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static io.gridledger.chaincode.domain.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class OfferTest {

    @Nested
    class Spec {

        @Test
        void requires_a_valid_offer_id_and_a_slot() {
            assertInvalid(() -> new OfferSpec("bad id", cpuSlot(), 1, 1, 0)).hasMessageContaining("offerId must be 1-128 characters");
            assertInvalid(() -> new OfferSpec("offer-1", null, 1, 1, 0)).hasMessage("slot is required");
        }

        @Test
        void bounds_the_slots() {
            assertInvalid(() -> new OfferSpec("offer-1", cpuSlot(), 0, 1, 0)).hasMessage("slots must be between 1 and 1024, got 0");
            assertInvalid(() -> new OfferSpec("offer-1", cpuSlot(), OfferSpec.MAX_SLOTS + 1, 1, 0)).hasMessageContaining("slots");
        }

        @Test
        void bounds_the_unit_price() {
            assertInvalid(() -> new OfferSpec("offer-1", cpuSlot(), 1, 0, 0)).hasMessageContaining("unitPrice");
            assertInvalid(() -> new OfferSpec("offer-1", cpuSlot(), 1, Pricing.MAX_UNIT_PRICE + 1, 0))
                    .hasMessageContaining("unitPrice");
        }

        @Test
        void bounds_the_stake_to_the_credit_range() {
            assertInvalid(() -> new OfferSpec("offer-1", cpuSlot(), 1, 1, -1)).hasMessageContaining("stake");
            assertInvalid(() -> new OfferSpec("offer-1", cpuSlot(), 1, 1, Params.MAX_CREDITS + 1)).hasMessageContaining("stake");
        }
    }

    @Nested
    class Publish {

        @Test
        void records_an_active_offer_of_the_node() {
            var offer = offer("offer-1");

            assertThat(offer.offerId()).isEqualTo("offer-1");
            assertThat(offer.nodeId()).isEqualTo(node(ORG2, "node-a"));
            assertThat(offer.org()).isEqualTo(ORG2);
            assertThat(offer.slot()).isEqualTo(cpuSlot());
            assertThat(offer.slots()).isEqualTo(4);
            assertThat(offer.unitPrice()).isEqualTo(50);
            assertThat(offer.stake()).isEqualTo(8_000);
            assertThat(offer.collateralPerSlot()).isEqualTo(2_000);
            assertThat(offer.status()).isEqualTo(Status.ACTIVE);
            assertThat(offer.isActive()).isTrue();
            assertThat(offer.createdAt()).isEqualTo(NOW);
            assertThat(offer.updatedAt()).isEqualTo(NOW);
            assertThat(offer.resourceClass()).isEqualTo("amd64/cpu");
        }

        @Test
        void rejects_a_stake_below_the_consortium_minimum() {
            var spec = new OfferSpec("offer-1", cpuSlot(), 1, 50, 999);

            assertInvalid(() -> Offer.publish(spec, node(ORG2, "a"), ORG2, params(), NOW))
                    .hasMessage("stake 999 is below the consortium minimum 1000 (1000 per slot × 1 slots)");
        }

        @Test
        void accepts_a_stake_exactly_at_the_minimum() {
            var spec = new OfferSpec("offer-1", cpuSlot(), 1, 50, 1_000);

            assertThat(Offer.publish(spec, node(ORG2, "a"), ORG2, params(), NOW).stake()).isEqualTo(1_000);
        }
    }

    @Nested
    class Update {

        @Test
        void changes_the_terms_but_keeps_identity_status_and_creation_time() {
            var paused = offer("offer-1").pause(NOW + 1);
            var spec = new OfferSpec("offer-1", gpuSlot(), 2, 75, 8_000);

            var updated = paused.update(spec, params(), false, NOW + 2);

            assertThat(updated.slot()).isEqualTo(gpuSlot());
            assertThat(updated.slots()).isEqualTo(2);
            assertThat(updated.unitPrice()).isEqualTo(75);
            assertThat(updated.stake()).isEqualTo(8_000);
            assertThat(updated.status()).isEqualTo(Status.PAUSED);
            assertThat(updated.nodeId()).isEqualTo(paused.nodeId());
            assertThat(updated.createdAt()).isEqualTo(NOW);
            assertThat(updated.updatedAt()).isEqualTo(NOW + 2);
            assertThat(updated.resourceClass()).isEqualTo("amd64/nvidia-a100");
        }

        @Test
        void refuses_to_lower_the_stake_while_a_slot_is_busy_but_lets_it_grow() {
            var lower = new OfferSpec("offer-1", cpuSlot(), 4, 50, 7_000);
            var higher = new OfferSpec("offer-1", cpuSlot(), 4, 50, 9_000);

            assertRejected(() -> offer("offer-1").update(lower, params(), true, NOW + 1), ErrorCode.WRONG_STATE)
                    .hasMessageContaining("may not decrease");
            assertThat(offer("offer-1").update(higher, params(), true, NOW + 1).stake()).isEqualTo(9_000);
            assertThat(offer("offer-1").update(lower, params(), false, NOW + 1).stake()).isEqualTo(7_000);
        }

        @Test
        void rejects_a_stake_below_the_minimum() {
            var spec = new OfferSpec("offer-1", cpuSlot(), 1, 50, 10);

            assertInvalid(() -> offer("offer-1").update(spec, params(), false, NOW + 1)).hasMessageContaining("below the consortium minimum");
        }
    }

    @Nested
    class PauseAndResume {

        @Test
        void pausing_takes_the_offer_off_the_market() {
            var paused = offer("offer-1").pause(NOW + 1);

            assertThat(paused.status()).isEqualTo(Status.PAUSED);
            assertThat(paused.isActive()).isFalse();
            assertThat(paused.updatedAt()).isEqualTo(NOW + 1);
        }

        @Test
        void resuming_puts_it_back() {
            var resumed = offer("offer-1").pause(NOW + 1).resume(params(), NOW + 2);

            assertThat(resumed.status()).isEqualTo(Status.ACTIVE);
        }

        @Test
        void resuming_requires_the_minimum_stake() {
            var slashed = offer("offer-1").slash(4_500, params(), NOW + 1);

            assertRejected(() -> slashed.resume(params(), NOW + 2), ErrorCode.WRONG_STATE)
                    .hasMessageContaining("holds stake 3500, below the minimum 4000 for 4 slots; top it up with UpdateOffer");
        }
    }

    @Nested
    class Withdraw {

        @Test
        void returns_the_stake_and_ends_the_offer() {
            var withdrawn = offer("offer-1").withdraw(NOW + 1);

            assertThat(withdrawn.status()).isEqualTo(Status.WITHDRAWN);
            assertThat(withdrawn.stake()).isZero();
            assertThat(withdrawn.isActive()).isFalse();
        }

        @Test
        void a_withdrawn_offer_cannot_be_changed() {
            var withdrawn = offer("offer-1").withdraw(NOW + 1);

            assertRejected(() -> withdrawn.pause(NOW + 2), ErrorCode.WRONG_STATE)
                    .hasMessage("offer offer-1 is withdrawn; cannot pause it");
            assertRejected(() -> withdrawn.resume(params(), NOW + 2), ErrorCode.WRONG_STATE);
            assertRejected(() -> withdrawn.withdraw(NOW + 2), ErrorCode.WRONG_STATE);
            assertRejected(() -> withdrawn.update(offerSpec("offer-1"), params(), false, NOW + 2), ErrorCode.WRONG_STATE)
                    .hasMessage("offer offer-1 is withdrawn; cannot update it");
        }
    }

    @Nested
    class Slash {

        @Test
        void takes_the_amount_from_the_stake() {
            var slashed = offer("offer-1").slash(500, params(), NOW + 1);

            assertThat(slashed.stake()).isEqualTo(7_500);
            assertThat(slashed.status()).isEqualTo(Status.ACTIVE);
            assertThat(slashed.updatedAt()).isEqualTo(NOW + 1);
        }

        @Test
        void pauses_an_active_offer_left_below_the_minimum_stake() {
            var slashed = offer("offer-1").slash(4_001, params(), NOW + 1);

            assertThat(slashed.stake()).isEqualTo(3_999);
            assertThat(slashed.status()).isEqualTo(Status.PAUSED);
        }

        @Test
        void keeps_an_offer_at_exactly_the_minimum_active() {
            assertThat(offer("offer-1").slash(4_000, params(), NOW + 1).status()).isEqualTo(Status.ACTIVE);
        }

        @Test
        void never_takes_more_than_the_stake() {
            assertThat(offer("offer-1").slash(1_000_000, params(), NOW + 1).stake()).isZero();
        }

        @Test
        void keeps_a_paused_offer_paused() {
            var slashed = offer("offer-1").pause(NOW + 1).slash(100, params(), NOW + 2);

            assertThat(slashed.status()).isEqualTo(Status.PAUSED);
            assertThat(slashed.stake()).isEqualTo(7_900);
        }
    }
}
