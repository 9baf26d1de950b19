package io.gridledger.gateway.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Accepts this gateway's opaque API tokens ({@code Authorization: Bearer glt_…}, and the bootstrap admin token) before
 * the JWT validator sees them; any other bearer token is left to the next validator (JWT). The {@link Authentication} carries the token's
 * partner as its name, its scopes as roles and its binding as attributes, read back by {@link Callers}.
 */
@Singleton
final class ApiTokenValidator implements TokenValidator<HttpRequest<?>> {

    static final String TOKEN_ID = "gridledger.tokenId";
    static final String IDENTITY = "gridledger.identity";
    static final String EXPIRES_AT = "gridledger.expiresAt";

    private final ApiTokens tokens;

    ApiTokenValidator(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        // Any bearer token is looked up by its hash (the bootstrap admin token is the operator's, without the prefix);
        // one that is not a live API token is left to the JWT validator, which refuses anything but a signed JWT.
        return tokens.authenticate(token)
                .map(t -> Mono.just(Authentication.build(t.partnerId(), t.scopes().stream().map(Scope::value).toList(),
                        Map.of(TOKEN_ID, t.tokenId(), IDENTITY, t.identity(), EXPIRES_AT, t.expiresAt().getEpochSecond()))))
                .orElseGet(Mono::empty);
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
