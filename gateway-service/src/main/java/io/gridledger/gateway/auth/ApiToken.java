package io.gridledger.gateway.auth;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Set;

/**
 * An API token as the gateway keeps it: never the token itself, only its SHA-256 ({@code hash}). A token carries
 * 256 random bits, so a plain hash cannot be reversed by guessing and needs no slow password hash.
 *
 * @param tokenId   public handle, for listing and revoking ({@code tok_…})
 * @param hash      SHA-256 of the token, hex
 * @param partnerId the partner it authenticates
 * @param identity  the Fabric identity of this org its calls are signed with
 */
@Serdeable
public record ApiToken(String tokenId, String hash, String partnerId, String identity, Set<Scope> scopes,
                       Instant createdAt, Instant expiresAt) {

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public Caller caller() {
        return new Caller(partnerId, identity, scopes, expiresAt, tokenId);
    }
}
