package io.gridledger.gateway.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * The partner REST API ({@code gridledger.api.*}).
 *
 * @param dataDir             the API's durable state: idempotency records and the job-id key
 * @param eventsIdentity      the identity this gateway reads chaincode events as, for the event streams
 * @param idempotencyTtl      how long a request's answer is kept for retries with its Idempotency-Key
 * @param unknownOutcomeWindow how long after a deposit or withdrawal was handed to the orderer its absence from the
 *                            ledger still means "maybe in flight" rather than "never committed" (crash recovery)
 */
@ConfigurationProperties("gridledger.api")
public record ApiSettings(
        @Bindable(defaultValue = "data/api") @NotBlank String dataDir,
        @Bindable(defaultValue = "User1") @NotBlank String eventsIdentity,
        @Bindable(defaultValue = "24h") Duration idempotencyTtl,
        @Bindable(defaultValue = "2m") Duration unknownOutcomeWindow) {
}
