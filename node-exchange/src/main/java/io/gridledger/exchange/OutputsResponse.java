package io.gridledger.exchange;

import java.util.List;

/**
 * Answer to an {@link OutputsRequest}: the manifest is stored (content-addressed by {@code resultDigest}); PUT each
 * object of {@code uploads} to its URL (plain HTTP, the exact bytes, before {@code expiresAt}), then send
 * {@link CompleteRequest}. Objects the store already holds (the same bytes from any job) need no upload and are not
 * listed: {@code alreadyStored} counts them.
 */
public record OutputsResponse(String jobId, int replica, int attempt, String resultDigest, List<UploadGrant> uploads,
                              int alreadyStored) {

    /** Where to PUT the object whose SHA-256 is {@code sha256} ({@code sizeBytes} long), until {@code expiresAt} (epoch ms). */
    public record UploadGrant(String sha256, long sizeBytes, String url, long expiresAt) {
    }
}
