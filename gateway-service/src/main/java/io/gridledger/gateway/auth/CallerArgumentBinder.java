package io.gridledger.gateway.auth;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Lets a controller method take the authenticated {@link Caller} as a parameter. */
@Singleton
final class CallerArgumentBinder implements TypedRequestArgumentBinder<Caller> {

    private final Callers callers;

    CallerArgumentBinder(Callers callers) {
        this.callers = callers;
    }

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> source) {
        Optional<Authentication> authentication = source.getUserPrincipal(Authentication.class);
        if (authentication.isEmpty()) {
            return BindingResult.unsatisfied();
        }
        var caller = callers.of(authentication.get());
        return () -> Optional.of(caller);
    }
}
