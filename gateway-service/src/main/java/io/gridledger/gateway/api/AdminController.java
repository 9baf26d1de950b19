package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.Caller;
import io.gridledger.ledger.Account;
import io.gridledger.ledger.Proposal;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/** The org admin's endpoints (scope {@code admin}): accounts, governance, API tokens. Translation only. */
@Controller("/api/v1/admin")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "admin")
class AdminController {

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";
    private final AdminService admin;

    AdminController(AdminService admin) {
        this.admin = admin;
    }

    @Post(uri = "/deposits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deposit credits into an account of this org", description = "Journaled: a retry with the "
            + "same Idempotency-Key never deposits twice, even across a gateway restart.")
    @ApiResponse(responseCode = "200", description = "committed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AdminRequests.MovementDone.class)))
    HttpResponse<String> deposit(@Parameter(hidden = true) Caller caller,
                                 @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                 @Body @Valid AdminRequests.Movement movement) {
        return Responses.of(admin.deposit(caller, idempotencyKey, movement));
    }

    @Post(uri = "/withdrawals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Withdraw credits from an account of this org", description = "Journaled like deposits.")
    @ApiResponse(responseCode = "200", description = "committed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AdminRequests.MovementDone.class)))
    HttpResponse<String> withdraw(@Parameter(hidden = true) Caller caller,
                                  @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                  @Body @Valid AdminRequests.Movement movement) {
        return Responses.of(admin.withdraw(caller, idempotencyKey, movement));
    }

    @Get(uri = "/accounts{?pageSize,cursor}")
    @Operation(summary = "This org's accounts and balances")
    ListingPage<Account> accounts(@Parameter(hidden = true) Caller caller,
                                  @QueryValue(defaultValue = "50") @Min(1) @Max(200) int pageSize,
                                  @QueryValue @Nullable String cursor) {
        return admin.accounts(caller, pageSize, cursor);
    }

    @Post(uri = "/proposals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Propose new consortium parameters", description = "Names the version it amends and when it expires.")
    @ApiResponse(responseCode = "201", description = "proposed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Proposal.class)))
    HttpResponse<String> propose(@Parameter(hidden = true) Caller caller,
                                 @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                 @Body @Valid AdminRequests.Proposal proposal) {
        return Responses.of(admin.propose(caller, idempotencyKey, proposal));
    }

    @Post(uri = "/proposals/{proposalId}/approvals")
    @Operation(summary = "Approve a proposal for this org")
    @ApiResponse(responseCode = "200", description = "approved (APPLIED once a majority approved)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Proposal.class)))
    HttpResponse<String> approve(@Parameter(hidden = true) Caller caller,
                                 @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                 @PathVariable @Pattern(regexp = ID) String proposalId) {
        return Responses.of(admin.approve(caller, idempotencyKey, proposalId));
    }

    @Post(uri = "/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API token", description = "The token is in this answer only; it is stored hashed.")
    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AdminRequests.TokenView.class)))
    HttpResponse<String> createToken(@Parameter(hidden = true) Caller caller,
                                     @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                     @Body @Valid AdminRequests.NewToken request) {
        return Responses.of(admin.createToken(caller, idempotencyKey, request));
    }

    @Get(uri = "/tokens")
    @Operation(summary = "The API tokens (never their secrets)")
    List<AdminRequests.TokenView> tokens(@Parameter(hidden = true) Caller caller) {
        return admin.tokens(caller);
    }

    @Delete(uri = "/tokens/{tokenId}")
    @Operation(summary = "Revoke an API token at once")
    @ApiResponse(responseCode = "204", description = "revoked")
    HttpResponse<Void> revokeToken(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = ID) String tokenId) {
        admin.revokeToken(caller, tokenId);
        return HttpResponse.noContent();
    }
}
