package io.gridledger.exchange;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryNonceRegistryTest {

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void a_nonce_is_refused_while_remembered_per_msp_and_forgotten_after_its_time() {
        var clock = new MovableClock();
        var registry = new InMemoryNonceRegistry(10, clock);
        var until = clock.now.plusSeconds(30);

        assertThat(registry.register("Org2MSP", "n1", until)).isTrue();
        assertThat(registry.register("Org2MSP", "n1", until)).isFalse();
        assertThat(registry.register("Org3MSP", "n1", until)).as("another MSP's nonce").isTrue();

        clock.now = clock.now.plus(Duration.ofSeconds(31));
        assertThat(registry.register("Org2MSP", "n2", clock.now.plusSeconds(30))).isTrue();
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void a_full_registry_refuses_new_nonces_instead_of_forgetting_live_ones() {
        var clock = new MovableClock();
        var registry = new InMemoryNonceRegistry(2, clock);
        registry.register("Org2MSP", "a", clock.now.plusSeconds(30));
        registry.register("Org2MSP", "b", clock.now.plusSeconds(30));

        assertThatThrownBy(() -> registry.register("Org2MSP", "c", clock.now.plusSeconds(30)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        assertThat(registry.register("Org2MSP", "a", clock.now.plusSeconds(30))).isFalse();
    }
}
