package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.AccessDenied;
import io.gridledger.gateway.auth.Caller;
import io.gridledger.gateway.auth.Scope;
import io.gridledger.ledger.Account;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.PageRequest;
import io.gridledger.ledger.Parameters;
import io.gridledger.ledger.Proposal;
import io.gridledger.ledger.ReputationView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.function.Supplier;

/**
 * What a partner may read of the market and the consortium: offers (by class and price, or by node), reputation,
 * parameters, members and proposals ({@code offers:read}); and its own account ({@code accounts:read}).
 */
@Singleton
public final class MarketService {

    private final Ledger ledger;
    private final JsonMapper json;

    MarketService(Ledger ledger, JsonMapper json) {
        this.ledger = ledger;
        this.json = json;
    }

    /** Offers of a resource class, cheapest first, at most {@code maxUnitPrice} (0: any); or of one node. */
    public ListingPage<Offer> offers(Caller caller, @Nullable String resourceClass, @Nullable String nodeId,
                                     long maxUnitPrice, int pageSize, @Nullable String cursor) {
        AccessDenied.requireScope(caller, Scope.OFFERS_READ);
        if ((resourceClass == null) == (nodeId == null)) {
            throw ApiException.invalid("class", "give exactly one of class (e.g. amd64/cpu) or node");
        }
        var filter = resourceClass != null ? "offers;class=" + resourceClass + ";max=" + maxUnitPrice : "offers;node=" + nodeId;
        var from = PageCursor.decode(cursor, filter, json);
        var request = new PageRequest(pageSize, from.bookmark());
        var page = refusalsAsBadRequest(resourceClass != null ? "class" : "node", () -> resourceClass != null
                ? ledger.listOffers(caller.identity(), resourceClass, maxUnitPrice, request)
                : ledger.listOffersByNode(caller.identity(), nodeId, request));
        return new ListingPage<>(page.items(), page.hasMore() ? new PageCursor(page.bookmark(), null, filter).encode(json) : null);
    }

    public Offer offer(Caller caller, String offerId) {
        AccessDenied.requireScope(caller, Scope.OFFERS_READ);
        return found("offer " + offerId, () -> ledger.getOffer(caller.identity(), offerId));
    }

    public ReputationView nodeReputation(Caller caller, String nodeId) {
        AccessDenied.requireScope(caller, Scope.OFFERS_READ);
        return refusalsAsBadRequest("nodeId", () -> ledger.getNodeReputation(caller.identity(), nodeId));
    }

    public ReputationView orgReputation(Caller caller, String mspId) {
        AccessDenied.requireScope(caller, Scope.OFFERS_READ);
        return refusalsAsBadRequest("mspId", () -> ledger.getOrgReputation(caller.identity(), mspId));
    }

    public Parameters parameters(Caller caller) {
        AccessDenied.requireScope(caller, Scope.OFFERS_READ);
        return ledger.getParameters(caller.identity());
    }

    /** The member orgs, with their reputation. */
    public List<ReputationView> members(Caller caller) {
        AccessDenied.requireScope(caller, Scope.OFFERS_READ);
        return ledger.getParameters(caller.identity()).members().stream()
                .map(org -> ledger.getOrgReputation(caller.identity(), org)).toList();
    }

    public Proposal proposal(Caller caller, String proposalId) {
        AccessDenied.requireScope(caller, Scope.OFFERS_READ);
        return found("proposal " + proposalId, () -> ledger.getProposal(caller.identity(), proposalId));
    }

    /** The caller's own account and balance. */
    public Account account(Caller caller) {
        AccessDenied.requireScope(caller, Scope.ACCOUNTS_READ);
        return ledger.whoAmI(caller.identity());
    }

    /** A query's NOT_FOUND refusal as the API's 404. */
    static <T> T found(String what, Supplier<T> query) {
        try {
            return query.get();
        } catch (ContractRefusal refusal) {
            if (refusal.code() == ContractErrorCode.NOT_FOUND) {
                throw ApiException.notFound(what);
            }
            throw refusal;
        }
    }

    /** A query's INVALID_ARGUMENT refusal as a 400 naming the parameter. */
    static <T> T refusalsAsBadRequest(String field, Supplier<T> query) {
        try {
            return query.get();
        } catch (ContractRefusal refusal) {
            if (refusal.code() == ContractErrorCode.INVALID_ARGUMENT) {
                throw ApiException.invalid(field, refusal.reason());
            }
            throw refusal;
        }
    }
}
