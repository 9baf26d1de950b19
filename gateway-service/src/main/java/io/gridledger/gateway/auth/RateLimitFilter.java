package io.gridledger.gateway.auth;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;

/**
 * Applies each authenticated partner's rate limit to the partner API, after security has authenticated the request
 * (an unauthenticated request is refused before it costs anything).
 */
@ServerFilter("/api/v1/**")
final class RateLimitFilter implements Ordered {

    private final RateLimiter limiter;

    RateLimitFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @RequestFilter
    void limit(HttpRequest<?> request) {
        request.getUserPrincipal(Authentication.class).ifPresent(a -> limiter.acquire(a.getName()));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
