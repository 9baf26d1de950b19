package io.gridledger.gateway.auth;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per partner: {@link RateLimitSettings#burst()} requests at once, refilled at
 * {@link RateLimitSettings#perSecond()}. {@link #acquire} takes one token or says how long until there is one.
 */
@Singleton
public final class RateLimiter {

    private final RateLimitSettings settings;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimitSettings settings) {
        this(settings, System::nanoTime);
    }

    RateLimiter(RateLimitSettings settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    /** @throws RateLimited when {@code partnerId} has no request left now */
    public void acquire(String partnerId) {
        if (!settings.enabled()) {
            return;
        }
        var wait = buckets.computeIfAbsent(partnerId, p -> new Bucket(settings.burst(), nanoTime.getAsLong())).take();
        if (wait > 0) {
            throw new RateLimited(partnerId, Duration.ofNanos(wait));
        }
    }

    private final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        /** 0 when a token was taken, else nanoseconds until one is there. */
        synchronized long take() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(settings.burst(), tokens + (now - updated) / 1e9 * settings.perSecond());
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / settings.perSecond() * 1e9);
        }
    }
}
