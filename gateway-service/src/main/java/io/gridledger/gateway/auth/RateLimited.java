package io.gridledger.gateway.auth;

import java.time.Duration;

/** A partner used up its request budget: HTTP 429, {@code Retry-After} = {@link #retryAfter()}. */
public final class RateLimited extends RuntimeException {

    private final Duration retryAfter;

    public RateLimited(String partnerId, Duration retryAfter) {
        super("partner " + partnerId + " exceeded its request rate; retry after " + Math.max(1, ceilSeconds(retryAfter)) + " s");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds to wait, at least one (the header's unit). */
    public long retryAfterSeconds() {
        return Math.max(1, ceilSeconds(retryAfter));
    }

    private static long ceilSeconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }
}
