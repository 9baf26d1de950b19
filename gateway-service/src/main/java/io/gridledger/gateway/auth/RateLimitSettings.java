package io.gridledger.gateway.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

/**
 * Requests each partner may make ({@code gridledger.api.rate-limit.*}): a token bucket of {@code burst} requests that
 * refills at {@code perSecond}.
 */
@ConfigurationProperties("gridledger.api.rate-limit")
public record RateLimitSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "50") @Positive double perSecond,
        @Bindable(defaultValue = "100") @Min(1) int burst) {
}
