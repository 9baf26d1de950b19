package io.gridledger.agent;

import io.gridledger.ledger.Identities;

import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.Objects;

/**
 * The node's own Fabric identity: what it commits, reveals and signs exchange requests with. Its id is its ledger
 * account, {@code <MSP ID>/<CN>}, the one assignments name.
 *
 * @param name the identity's name among the org's identities ({@code node1}), what the ledger facade is called with
 */
public record NodeIdentity(String name, String mspId, String nodeId, String certificatePem) {

    public NodeIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(certificatePem, "certificatePem");
    }

    public static NodeIdentity of(Identities.SigningIdentity identity) {
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(identity.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return new NodeIdentity(identity.name(), identity.mspId(), identity.accountId(), pem);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the node's certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** The node's common name: the part of its id after the MSP ID. */
    public String commonName() {
        return nodeId.substring(nodeId.indexOf('/') + 1);
    }
}
