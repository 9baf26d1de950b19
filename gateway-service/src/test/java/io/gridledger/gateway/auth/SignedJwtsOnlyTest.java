package io.gridledger.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SignedJwtsOnlyTest {

    @TempDir
    Path dir;

    private final JWTClaimsSet admin = new JWTClaimsSet.Builder().subject("mallory").claim("scope", "admin jobs:read")
            .claim("gridledger_identity", "Admin").build();

    @Test
    @SuppressWarnings("unchecked")
    void with_no_jwt_key_configured_an_unsigned_or_any_signed_jwt_is_refused() throws Exception {
        try (var context = ApplicationContext.run(Map.of("gridledger.api.data-dir", dir.toString(),
                "gridledger.api.auth.tokens-file", dir.resolve("tokens.json").toString()))) {
            JsonWebTokenValidator<com.nimbusds.jwt.JWT, Object> validator = context.getBean(JsonWebTokenValidator.class);

            assertThat(validator.validate(new PlainJWT(admin).serialize(), null)).as("alg none").isEmpty();
            var signed = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), admin);
            signed.sign(new MACSigner("a secret nobody configured, 32 bytes+".getBytes(StandardCharsets.UTF_8)));
            assertThat(validator.validate(signed.serialize(), null)).as("HS256, unknown key").isEmpty();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_jwt_signed_with_the_configured_key_is_still_accepted_and_an_unsigned_one_is_not() throws Exception {
        var secret = "the operator's configured secret, 32+ bytes";
        try (var context = ApplicationContext.run(Map.of("gridledger.api.data-dir", dir.toString(),
                "gridledger.api.auth.tokens-file", dir.resolve("tokens.json").toString(),
                "micronaut.security.token.jwt.signatures.secret.idp.secret", secret))) {
            JsonWebTokenValidator<com.nimbusds.jwt.JWT, Object> validator = context.getBean(JsonWebTokenValidator.class);

            var signed = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), admin);
            signed.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            assertThat(validator.validate(signed.serialize(), null)).isPresent();
            assertThat(validator.validate(new PlainJWT(admin).serialize(), null)).isEmpty();
        }
    }
}
