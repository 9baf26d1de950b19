package io.gridledger.exchange;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The names and bounds of the node exchange protocol (gateway-service/NODE-EXCHANGE.md): how a provider node of one
 * org proves its Fabric identity to the gateway of the org whose job it runs, and where it asks for inputs and hands
 * over outputs.
 *
 * <pre>{@code
 * var signer = NodeRequestSigner.create("Org2MSP", certificatePem, privateKey);
 * String target = NodeExchange.inputsTarget(jobId, replica, attempt);
 * Map<String, String> headers = signer.sign("GET", target, "Org1MSP", new byte[0]).headers();
 * // GET https://gateway.org1.example + target, with those headers
 * }</pre>
 */
public final class NodeExchange {

    /** The first line of every signed payload: a new protocol version changes it. */
    public static final String PAYLOAD_VERSION = "gridledger/node-request/v1";

    /** The signer's MSP ID, e.g. {@code Org2MSP}. */
    public static final String HEADER_MSP = "X-GridLedger-Node-Msp";
    /** Base64 (standard alphabet, padded) of the signer's PEM certificate: its Fabric identity. */
    public static final String HEADER_CERTIFICATE = "X-GridLedger-Node-Cert";
    /** The MSP ID of the org whose gateway the request is for: a request signed for one gateway is void at another. */
    public static final String HEADER_AUDIENCE = "X-GridLedger-Audience";
    /** When the request was signed, epoch milliseconds (decimal). */
    public static final String HEADER_TIMESTAMP = "X-GridLedger-Timestamp";
    /** 16 to 64 random bytes, base64url without padding; never used twice by one MSP within the time window. */
    public static final String HEADER_NONCE = "X-GridLedger-Nonce";
    /** Base64 (standard, padded) DER ECDSA signature, low-S, over SHA-256 of the canonical payload. */
    public static final String HEADER_SIGNATURE = "X-GridLedger-Signature";

    /** Every header the signer sets, in the order it sets them. */
    public static final java.util.List<String> HEADERS = java.util.List.of(HEADER_MSP, HEADER_CERTIFICATE,
            HEADER_AUDIENCE, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE);

    public static final int MIN_NONCE_BYTES = 16;
    public static final int MAX_NONCE_BYTES = 64;
    /** A certificate header longer than this (base64 characters) is refused before it is decoded. */
    public static final int MAX_CERTIFICATE_HEADER_CHARS = 16 * 1024;

    /** How far a request's timestamp may be from the verifier's clock when nothing else is configured. */
    public static final Duration DEFAULT_CLOCK_TOLERANCE = Duration.ofSeconds(30);

    /** Where every exchange route lives on a gateway. */
    public static final String BASE_PATH = "/api/v1/exchange";

    private NodeExchange() {
    }

    /** {@code GET}: the job's inputs, each with a presigned GET URL. */
    public static String inputsTarget(String jobId, int replica, int attempt) {
        return BASE_PATH + "/jobs/" + segment(jobId) + "/inputs?replica=" + nonNegative(replica, "replica")
                + "&attempt=" + positive(attempt, "attempt");
    }

    /** {@code POST} {@link OutputsRequest}: declare the outputs, get presigned PUT URLs. */
    public static String outputsTarget(String jobId, int replica) {
        return replicaPath(jobId, replica) + "/outputs";
    }

    /** {@code POST} {@link CompleteRequest}: the uploads are done; the gateway checks and records the result. */
    public static String completeTarget(String jobId, int replica) {
        return replicaPath(jobId, replica) + "/outputs/complete";
    }

    /** {@code POST} {@link ProgressRequest}: a step of the replica's run. */
    public static String progressTarget(String jobId, int replica) {
        return replicaPath(jobId, replica) + "/progress";
    }

    private static String replicaPath(String jobId, int replica) {
        return BASE_PATH + "/jobs/" + segment(jobId) + "/replicas/" + nonNegative(replica, "replica");
    }

    /**
     * A path segment as RFC 3986 allows it unencoded (unreserved characters), everything else percent-encoded from
     * UTF-8, so the target a node signs is the one that goes on the wire, byte for byte.
     */
    public static String segment(String value) {
        java.util.Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a path segment must not be empty");
        }
        var out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    private static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }
}
