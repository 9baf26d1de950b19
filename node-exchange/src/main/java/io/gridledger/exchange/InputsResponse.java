package io.gridledger.exchange;

import java.util.List;

/**
 * Answer to {@code GET /api/v1/exchange/jobs/{jobId}/inputs?replica=&attempt=}: every input of the job's spec, each
 * with a presigned GET URL into the client org's object store. The node checks what it downloads against
 * {@code sha256} and {@code sizeBytes} (the ledger's values).
 */
public record InputsResponse(String jobId, int replica, int attempt, List<InputGrant> inputs) {

    /**
     * One input: its file name in the container's input folder, its SHA-256 and size as the job's spec on the ledger
     * says, and where to GET it until {@code expiresAt} (epoch milliseconds).
     */
    public record InputGrant(String name, String sha256, long sizeBytes, String url, long expiresAt) {
    }
}
