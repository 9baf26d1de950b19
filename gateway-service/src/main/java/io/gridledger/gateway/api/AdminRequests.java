package io.gridledger.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.gridledger.gateway.auth.ApiToken;
import io.gridledger.gateway.auth.Scope;
import io.gridledger.ledger.Parameters;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.Set;

/** Request and response bodies of the admin endpoints. */
public final class AdminRequests {

    private AdminRequests() {
    }

    /** Credits into ({@code Deposit}) or out of ({@code Withdraw}) an account of this org. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "AccountMovementRequest")
    public record Movement(@NotBlank @Size(max = 265) String accountId,
                           @NotNull @Positive @Max(1_000_000_000_000_000L) Long amount) {
    }

    /** A committed deposit or withdrawal: the account's balance after it and the transaction. */
    @Serdeable
    @Schema(name = "AccountMovement")
    public record MovementDone(String accountId, long amount, long balance, String txId) {
    }

    /** A parameter change: the version it amends, when it expires (epoch second, at most 30 days ahead). */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "ProposalRequest")
    public record Proposal(@NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}") String proposalId,
                           @NotNull @Positive Long amendsVersion,
                           @NotNull @Positive Long expiresAt,
                           @NotNull Parameters parameters) {
    }

    /** A new API token for a partner, bound to one of this org's Fabric identities. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "TokenRequest")
    public record NewToken(@NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._@-]{0,127}") String partnerId,
                           @Nullable String identity,
                           @NotEmpty Set<@NotNull Scope> scopes,
                           @NotNull @Positive Long expiresInSeconds) {
    }

    /** An API token as listed: its secret only in the answer that created it, {@code null} everywhere else. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "Token")
    public record TokenView(String tokenId, String partnerId, String identity, Set<Scope> scopes, Instant createdAt,
                            Instant expiresAt, @Nullable String token) {

        static TokenView of(ApiToken t, @Nullable String secret) {
            return new TokenView(t.tokenId(), t.partnerId(), t.identity(), t.scopes(), t.createdAt(), t.expiresAt(), secret);
        }
    }
}
