package io.gridledger.exchange;

import java.util.List;

/**
 * Body of {@code POST /api/v1/exchange/jobs/{jobId}/replicas/{replica}/outputs}: the replica's outputs as its
 * {@link OutputManifest} lists them, and its logs. The gateway rebuilds the manifest from {@code files}, checks it
 * hashes to {@code resultDigest}, stores it, and answers an upload URL for every object it does not hold yet.
 *
 * @param attempt      the assignment's attempt (the ledger's)
 * @param resultDigest hex SHA-256 of the manifest: the digest the node commits to (through the fingerprint)
 * @param files        every regular output file, any order (the manifest sorts them)
 * @param logs         the container's logs ({@code stdout}, {@code stderr}), at most one of each name
 */
public record OutputsRequest(int attempt, String resultDigest, List<OutputFile> files, List<LogFile> logs) {

    /** One output file: relative '/'-separated NFC path, SHA-256 of its bytes, their length. */
    public record OutputFile(String path, String sha256, long sizeBytes) {
    }

    /** One log of the run: its name ({@code stdout}, {@code stderr}), SHA-256 of its bytes, their length. */
    public record LogFile(String name, String sha256, long sizeBytes) {
    }
}
