package io.gridledger.exchange;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * Who signed a request that verified: a provider node of {@code mspId}, known on the ledger as {@link #nodeId()}.
 *
 * @param mspId      the node's org
 * @param commonName the certificate's CN
 * @param signedAt   the request's timestamp
 * @param nonce      the request's nonce (for logs)
 */
public record VerifiedNode(String mspId, String commonName, X509Certificate certificate, Instant signedAt,
                           String nonce) {

    public VerifiedNode {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(signedAt, "signedAt");
        Objects.requireNonNull(nonce, "nonce");
    }

    /** {@code <MSP ID>/<CN>}: the node's account on the ledger, what assignments name. */
    public String nodeId() {
        return NodeCertificates.nodeId(mspId, commonName);
    }
}
