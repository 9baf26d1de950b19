package io.gridledger.gateway.housekeeping;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * The housekeeping that drives jobs through their life ({@code gridledger.housekeeping.*}).
 *
 * @param enabled       whether this gateway runs it
 * @param identity      the member identity its transactions are signed with
 * @param foreignDelay  how long it leaves another org's job to that org's gateway before acting on it itself
 * @param matchLimit    most jobs one {@code MatchQueue} may place
 * @param retryDelay    pause before trying again a transaction that failed (not one refused as already done)
 */
@ConfigurationProperties("gridledger.housekeeping")
public record HousekeepingSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "User1") @NotBlank String identity,
        @Bindable(defaultValue = "30s") Duration foreignDelay,
        @Bindable(defaultValue = "50") @Min(1) @Max(100) int matchLimit,
        @Bindable(defaultValue = "2s") Duration retryDelay) {
}
