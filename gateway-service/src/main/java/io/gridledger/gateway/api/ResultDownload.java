package io.gridledger.gateway.api;

import java.net.URI;

/**
 * How a completed job's result is handed out: for now {@link Inline} (the agreed fingerprint and outcome, answered
 * 200); once outputs are in object storage, {@link Redirect} to a presigned URL (answered 303 See Other), with the
 * same fingerprint header so a client verifies what it downloads.
 */
public sealed interface ResultDownload {

    JobResult result();

    record Inline(JobResult result) implements ResultDownload {
    }

    /** @param resultDigest SHA-256 of the output manifest at {@code location} (the fingerprint's digest) */
    record Redirect(JobResult result, URI location, String resultDigest) implements ResultDownload {
    }
}
