package io.gridledger.exchange;

/**
 * Body of {@code POST /api/v1/exchange/jobs/{jobId}/replicas/{replica}/outputs/complete}: every upload of the
 * {@link OutputsResponse} for this attempt and digest is done. The gateway reads each staged object back, checks its
 * SHA-256, promotes it, and records the replica's result ({@link ReplicaResult}).
 */
public record CompleteRequest(int attempt, String resultDigest) {
}
