package io.gridledger.gateway.auth;

import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns an authenticated request's {@link Authentication} into a {@link Caller}: an API token's binding as stored, or a
 * JWT's claims — {@code sub} the partner, {@code scope} (space-separated) or {@code scp} (list) the scopes,
 * {@code exp} the expiry, and the identity claim ({@link AuthSettings#jwtIdentityClaim()}) the Fabric identity,
 * checked like a token's binding (the admin role always acts as the org admin, nobody else may).
 */
@Singleton
public final class Callers {

    private final ApiTokens tokens;
    private final AuthSettings settings;

    public Callers(ApiTokens tokens, AuthSettings settings) {
        this.tokens = tokens;
        this.settings = settings;
    }

    public Caller of(Authentication authentication) {
        var attributes = authentication.getAttributes();
        if (attributes.get(ApiTokenValidator.TOKEN_ID) instanceof String tokenId) {
            var scopes = scopes(authentication.getRoles());
            return new Caller(authentication.getName(), (String) attributes.get(ApiTokenValidator.IDENTITY), scopes,
                    Instant.ofEpochSecond(((Number) attributes.get(ApiTokenValidator.EXPIRES_AT)).longValue()), tokenId);
        }
        var scopes = scopes(jwtScopes(attributes.get("scope"), attributes.get("scp")));
        if (scopes.isEmpty()) {
            throw new AccessDenied("the token grants no scope of this API");
        }
        var claimed = attributes.get(settings.jwtIdentityClaim());
        String identity;
        try {
            identity = tokens.bindIdentity(scopes, claimed instanceof String s ? s : null);
        } catch (IllegalArgumentException e) {
            throw new AccessDenied("the token's identity binding is refused: " + e.getMessage());
        }
        return new Caller(authentication.getName(), identity, scopes, expiry(attributes.get("exp")), "jwt");
    }

    private static Collection<String> jwtScopes(Object scope, Object scp) {
        if (scope instanceof String s) {
            return java.util.Arrays.asList(s.trim().split("\\s+"));
        }
        if (scp instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (scp instanceof String s) {
            return java.util.Arrays.asList(s.trim().split("\\s+"));
        }
        return java.util.List.of();
    }

    private static Set<Scope> scopes(Collection<String> values) {
        var scopes = EnumSet.noneOf(Scope.class);
        values.forEach(v -> Scope.parse(v).ifPresent(scopes::add));
        return scopes;
    }

    private static Instant expiry(Object exp) {
        if (exp instanceof Date date) {
            return date.toInstant();
        }
        if (exp instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        if (exp instanceof Instant instant) {
            return instant;
        }
        // The JWT validator refuses expired tokens; one without exp is good for this request only.
        return Instant.now();
    }
}
