package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.AccessDenied;
import io.gridledger.gateway.auth.ApiTokens;
import io.gridledger.gateway.auth.Caller;
import io.gridledger.gateway.auth.Scope;
import io.gridledger.ledger.Account;
import io.gridledger.ledger.Identities;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.PageRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The org admin's endpoints ({@code admin} scope, signed as the org admin identity): credits into and out of this
 * org's accounts, governance, API tokens. Deposits and withdrawals are journaled ({@link IdempotentRequests#runJournaled})
 * so that no retry applies one twice.
 */
@Singleton
public final class AdminService {

    private final Ledger ledger;
    private final Identities identities;
    private final ApiTokens tokens;
    private final IdempotentRequests idempotency;
    private final JsonMapper json;

    AdminService(Ledger ledger, Identities identities, ApiTokens tokens, IdempotentRequests idempotency, JsonMapper json) {
        this.ledger = ledger;
        this.identities = identities;
        this.tokens = tokens;
        this.idempotency = idempotency;
        this.json = json;
    }

    public IdempotencyRecord.StoredResponse deposit(Caller caller, @Nullable String key, AdminRequests.Movement movement) {
        return move(caller, key, "Deposit", movement, true);
    }

    public IdempotencyRecord.StoredResponse withdraw(Caller caller, @Nullable String key, AdminRequests.Movement movement) {
        return move(caller, key, "Withdraw", movement, false);
    }

    private IdempotencyRecord.StoredResponse move(Caller caller, @Nullable String key, String operation,
                                                  AdminRequests.Movement movement, boolean deposit) {
        var admin = requireAdmin(caller);
        requireOwnOrg(movement.accountId());
        return idempotency.runJournaled(caller, key, operation, movement, admin,
                observer -> {
                    var committed = deposit
                            ? ledger.deposit(admin, movement.accountId(), movement.amount(), observer)
                            : ledger.withdraw(admin, movement.accountId(), movement.amount(), observer);
                    // a transaction reads the state before its own writes: the balance after it is read once committed
                    return idempotency.answer(HttpStatus.OK, new AdminRequests.MovementDone(movement.accountId(),
                            movement.amount(), ledger.getAccount(admin, movement.accountId()).balance(), committed.txId()), null);
                },
                txId -> idempotency.answer(HttpStatus.OK, new AdminRequests.MovementDone(movement.accountId(),
                        movement.amount(), ledger.getAccount(admin, movement.accountId()).balance(), txId), null));
    }

    /** This org's accounts with their balances, a page at a time. */
    public ListingPage<Account> accounts(Caller caller, int pageSize, @Nullable String cursor) {
        var admin = requireAdmin(caller);
        var filter = "accounts";
        var from = PageCursor.decode(cursor, filter, json);
        var page = ledger.listAccounts(admin, new PageRequest(pageSize, from.bookmark()));
        var own = page.items().stream().filter(a -> identities.mspId().equals(a.org())).toList();
        return new ListingPage<>(own, page.hasMore() ? new PageCursor(page.bookmark(), null, filter).encode(json) : null);
    }

    public IdempotencyRecord.StoredResponse propose(Caller caller, @Nullable String key, AdminRequests.Proposal proposal) {
        var admin = requireAdmin(caller);
        return idempotency.run(caller, key, "ProposeParameters", proposal, () -> {
            var proposed = ledger.proposeParameters(admin, proposal.proposalId(), proposal.amendsVersion(),
                    proposal.expiresAt(), proposal.parameters()).value();
            return idempotency.answer(HttpStatus.CREATED, proposed, "/api/v1/consortium/proposals/" + proposal.proposalId());
        });
    }

    public IdempotencyRecord.StoredResponse approve(Caller caller, @Nullable String key, String proposalId) {
        var admin = requireAdmin(caller);
        return idempotency.run(caller, key, "ApproveProposal", Map.of("proposalId", proposalId), () ->
                idempotency.answer(HttpStatus.OK, ledger.approveProposal(admin, proposalId).value(),
                        "/api/v1/consortium/proposals/" + proposalId));
    }

    /**
     * A new API token, its secret in this answer only. A retry with the same key answers with the same token's record
     * without the secret (it is not kept anywhere): revoke it and create another if the first answer was lost.
     */
    public IdempotencyRecord.StoredResponse createToken(Caller caller, @Nullable String key, AdminRequests.NewToken request) {
        requireAdmin(caller);
        var issued = new AtomicReference<ApiTokens.Issued>();
        var stored = idempotency.run(caller, key, "CreateToken", request, () -> {
            try {
                issued.set(tokens.create(request.partnerId(), request.identity(), request.scopes(),
                        Duration.ofSeconds(request.expiresInSeconds())));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("identity", e.getMessage());
            }
            return idempotency.answer(HttpStatus.CREATED, AdminRequests.TokenView.of(issued.get().record(), null),
                    "/api/v1/admin/tokens/" + issued.get().record().tokenId());
        });
        if (issued.get() == null) {
            return stored;
        }
        return idempotency.answer(HttpStatus.CREATED, AdminRequests.TokenView.of(issued.get().record(), issued.get().token()),
                stored.location());
    }

    public List<AdminRequests.TokenView> tokens(Caller caller) {
        requireAdmin(caller);
        return tokens.list().stream().map(t -> AdminRequests.TokenView.of(t, null)).toList();
    }

    public void revokeToken(Caller caller, String tokenId) {
        requireAdmin(caller);
        if (!tokens.revoke(tokenId)) {
            throw ApiException.notFound("token " + tokenId);
        }
    }

    private String requireAdmin(Caller caller) {
        return AccessDenied.requireAdmin(caller, tokens.adminIdentity());
    }

    private void requireOwnOrg(String accountId) {
        if (!accountId.startsWith(identities.mspId() + "/")) {
            throw ApiException.invalid("accountId", "must be an account of this org (" + identities.mspId() + "/…)");
        }
    }
}
