package io.gridledger.storage;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A URL that lets whoever holds it do one thing to one object until it expires, with no credentials of their own:
 * what the gateway hands a partner or a provider node once the ledger says they may read or write.
 *
 * @param method    the HTTP method the URL is signed for ({@code GET} or {@code PUT})
 * @param uri       the signed URL
 * @param expiresAt when the store stops honouring it
 */
public record PresignedUrl(String method, URI uri, Instant expiresAt) {

    public PresignedUrl {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
