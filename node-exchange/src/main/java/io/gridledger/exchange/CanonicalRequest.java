package io.gridledger.exchange;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The bytes a node signs and a gateway verifies: every part of a request that gives it meaning, one per line.
 *
 * <pre>
 * "gridledger/node-request/v1" '\n'
 * METHOD '\n'                      upper case: GET, POST
 * TARGET '\n'                      the request target exactly as sent: path, then '?' and the query if there is one
 * AUDIENCE '\n'                    MSP ID of the org whose gateway is addressed
 * MSP '\n'                         the signer's MSP ID
 * hex(SHA-256(certificate DER)) '\n'
 * TIMESTAMP '\n'                   epoch milliseconds, decimal
 * NONCE '\n'                       as in the header (base64url)
 * hex(SHA-256(body))               of the body's bytes as sent; of no bytes for a GET
 * </pre>
 *
 * <p>All text is ASCII (the target is percent-encoded); hex is lowercase; there is no trailing newline.
 */
public record CanonicalRequest(String method, String target, String audience, String mspId,
                               String certificateSha256, long timestamp, String nonce, String bodySha256) {

    public CanonicalRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(certificateSha256, "certificateSha256");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(bodySha256, "bodySha256");
        for (var part : new String[] {method, target, audience, mspId, nonce}) {
            if (part.isEmpty() || part.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("a canonical request part is printable ASCII without spaces: \""
                        + part + "\"");
            }
        }
        if (!Hex.isSha256(certificateSha256) || !Hex.isSha256(bodySha256)) {
            throw new IllegalArgumentException("digests are 64 lowercase hex digits");
        }
    }

    /** The payload's bytes (what is hashed with SHA-256 and signed). */
    public byte[] toBytes() {
        return String.join("\n", NodeExchange.PAYLOAD_VERSION, method, target, audience, mspId, certificateSha256,
                Long.toString(timestamp), nonce, bodySha256).getBytes(StandardCharsets.US_ASCII);
    }

    /** SHA-256 of {@link #toBytes()}: what an ECDSA signer signs. */
    public byte[] digest() {
        return Hex.newSha256().digest(toBytes());
    }
}
