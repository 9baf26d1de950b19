package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.Caller;
import io.gridledger.ledger.Account;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.Parameters;
import io.gridledger.ledger.Proposal;
import io.gridledger.ledger.ReputationView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

import java.util.List;

/** Read endpoints: the market, reputation, the consortium, the partner's account. Translation only. */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class MarketController {

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";
    private final MarketService market;

    MarketController(MarketService market) {
        this.market = market;
    }

    @Get(uri = "/offers{?class,node,maxUnitPrice,pageSize,cursor}")
    @Tag(name = "market")
    @Operation(summary = "Offers of a resource class (cheapest first, up to maxUnitPrice) or of one node")
    ListingPage<Offer> offers(@Parameter(hidden = true) Caller caller,
                              @QueryValue("class") @Nullable String resourceClass,
                              @QueryValue @Nullable String node,
                              @QueryValue(defaultValue = "0") @PositiveOrZero long maxUnitPrice,
                              @QueryValue(defaultValue = "50") @Min(1) @Max(200) int pageSize,
                              @QueryValue @Nullable String cursor) {
        return market.offers(caller, resourceClass, node, maxUnitPrice, pageSize, cursor);
    }

    @Get(uri = "/offers/{offerId}")
    @Tag(name = "market")
    @Operation(summary = "One offer")
    Offer offer(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = ID) String offerId) {
        return market.offer(caller, offerId);
    }

    @Get(uri = "/reputation/node")
    @Tag(name = "market")
    @Operation(summary = "A provider node's reputation (nodeId: its account, Org2MSP/node1@org2…)")
    ReputationView nodeReputation(@Parameter(hidden = true) Caller caller, @QueryValue @NotBlank String nodeId) {
        return market.nodeReputation(caller, nodeId);
    }

    @Get(uri = "/reputation/orgs/{mspId}")
    @Tag(name = "market")
    @Operation(summary = "A member org's reputation")
    ReputationView orgReputation(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = ID) String mspId) {
        return market.orgReputation(caller, mspId);
    }

    @Get(uri = "/consortium/parameters")
    @Tag(name = "consortium")
    @Operation(summary = "The consortium's parameters in force, with their version")
    Parameters parameters(@Parameter(hidden = true) Caller caller) {
        return market.parameters(caller);
    }

    @Get(uri = "/consortium/members")
    @Tag(name = "consortium")
    @Operation(summary = "The member orgs and their reputation")
    List<ReputationView> members(@Parameter(hidden = true) Caller caller) {
        return market.members(caller);
    }

    @Get(uri = "/consortium/proposals/{proposalId}")
    @Tag(name = "consortium")
    @Operation(summary = "A parameter change proposal and its approvals")
    Proposal proposal(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = ID) String proposalId) {
        return market.proposal(caller, proposalId);
    }

    @Get(uri = "/account")
    @Tag(name = "accounts")
    @Operation(summary = "The partner's own account and balance")
    Account account(@Parameter(hidden = true) Caller caller) {
        return market.account(caller);
    }
}
