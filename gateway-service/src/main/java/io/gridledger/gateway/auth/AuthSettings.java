package io.gridledger.gateway.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * How partners authenticate to the REST API ({@code gridledger.api.auth.*}).
 *
 * @param tokensFile          where the API tokens are kept, hashed (the gateway owns it: mode 600, atomic writes)
 * @param bootstrapAdminToken an admin token to accept from the start ({@code GRIDLEDGER_API_AUTH_BOOTSTRAP_ADMIN_TOKEN}):
 *                            a secret of at least 32 characters the operator generated; stored hashed on startup
 * @param adminPartner        the partner name of the bootstrap admin token
 * @param adminIdentity       the org admin's Fabric identity: the admin role signs as it, and no other role may
 * @param jwtIdentityClaim    the JWT claim naming the Fabric identity a partner acts as
 * @param maxTokenLifetime    the longest lifetime of a created API token
 */
@ConfigurationProperties("gridledger.api.auth")
public record AuthSettings(
        @Bindable(defaultValue = "data/api/tokens.json") @NotBlank String tokensFile,
        @Nullable String bootstrapAdminToken,
        @Bindable(defaultValue = "admin") @NotBlank String adminPartner,
        @Bindable(defaultValue = "Admin") @NotBlank String adminIdentity,
        @Bindable(defaultValue = "gridledger_identity") @NotBlank String jwtIdentityClaim,
        @Bindable(defaultValue = "365d") Duration maxTokenLifetime) {
}
