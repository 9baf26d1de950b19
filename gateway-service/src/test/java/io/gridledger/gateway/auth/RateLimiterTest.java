package io.gridledger.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(new RateLimitSettings(true, 2, 3), now::get);

    @Test
    void a_partner_may_spend_its_burst_then_waits_for_the_refill() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("p");
        }
        assertThatThrownBy(() -> limiter.acquire("p")).isInstanceOfSatisfying(RateLimited.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.retryAfter().toMillis()).isEqualTo(500));
        now.addAndGet(500_000_000L);
        assertThatCode(() -> limiter.acquire("p")).doesNotThrowAnyException();
    }

    @Test
    void partners_have_buckets_of_their_own_and_a_refill_never_exceeds_the_burst() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        assertThatCode(() -> limiter.acquire("b")).doesNotThrowAnyException();
        now.addAndGet(3_600_000_000_000L);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        assertThatThrownBy(() -> limiter.acquire("a")).isInstanceOf(RateLimited.class);
    }
}
