package io.gridledger.exchange;

/**
 * What the client org's gateway recorded of one replica's outputs (the answer to {@link CompleteRequest}, kept in the
 * client org's object store): enough to find the outputs of the result the ledger agrees on.
 *
 * @param resultDigest hex SHA-256 of the output manifest
 * @param fingerprint  hex SHA-256("gridledger/result/v1" 0x00 jobId 0x00 digest): what the node reveals
 * @param completedAt  epoch milliseconds, the gateway's clock
 */
public record ReplicaResult(String jobId, int replica, int attempt, String nodeId, String resultDigest,
                           String fingerprint, int files, long totalBytes, long completedAt) {
}
