package io.gridledger.gateway.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the partner API, once authenticated: the partner, the Fabric identity of this org that signs its
 * transactions, what it may do, and until when.
 *
 * @param partnerId the partner (an API token's owner, or a JWT's {@code sub})
 * @param identity  the name of this org's Fabric identity the gateway acts as for it ({@code User1}; the org admin
 *                  identity for the admin role)
 * @param tokenId   the API token's id, or {@code jwt}
 */
public record Caller(String partnerId, String identity, Set<Scope> scopes, Instant expiresAt, String tokenId) {

    public Caller {
        Objects.requireNonNull(partnerId, "partnerId");
        Objects.requireNonNull(identity, "identity");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    public boolean isAdmin() {
        return has(Scope.ADMIN);
    }
}
