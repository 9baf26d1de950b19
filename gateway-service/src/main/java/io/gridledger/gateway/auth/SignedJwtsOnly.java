package io.gridledger.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;

/**
 * Makes sure a JWT is only ever accepted when signed with a key the operator configured. Micronaut Security takes an
 * unsigned JWT ({@code alg: none}) as verified when no signature configuration exists at all — the gateway's default —
 * so anyone could write themselves {@code {"scope": "admin", "gridledger_identity": "Admin"}} and act as the org admin.
 * This configuration is always there (so unsigned JWTs are refused), supports no algorithm and verifies nothing: with
 * no key configured every JWT is a 401, and a configured key or JWKS verifies as before.
 */
@Singleton
final class SignedJwtsOnly implements SignatureConfiguration {

    @Override
    public String supportedAlgorithmsMessage() {
        return "none: only the signature configurations under micronaut.security.token.jwt.signatures verify JWTs";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return false;
    }

    @Override
    public boolean verify(SignedJWT jwt) {
        return false;
    }
}
