package io.gridledger.gateway.insights;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * The admin console's projection of the ledger ({@code gridledger.insights.*}).
 *
 * @param enabled          whether this gateway reads the ledger's events into the projection (the endpoints answer 503
 *                         without it)
 * @param identity         the identity it reads events and assets as (an identity that may read every org's jobs)
 * @param snapshotFile     where the projection and the block it reached are persisted; empty: {@code
 *                         <gridledger.api.data-dir>/console-projection.json}
 * @param snapshotInterval how often a changed projection is written (and always when the gateway stops)
 * @param maxAlerts        alerts kept (the oldest dropped first)
 * @param reconnectBackoff pause before reading again after the peer failed
 */
@ConfigurationProperties("gridledger.insights")
public record InsightsSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "Admin") @NotBlank String identity,
        @Bindable(defaultValue = "") @Nullable String snapshotFile,
        @Bindable(defaultValue = "2s") Duration snapshotInterval,
        @Bindable(defaultValue = "10000") @Min(1) int maxAlerts,
        @Bindable(defaultValue = "1s") Duration reconnectBackoff) {
}
