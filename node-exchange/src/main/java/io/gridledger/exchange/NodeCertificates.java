package io.gridledger.exchange;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node's Fabric certificate travels and what it names: the certificate header is base64 of the PEM text (as in
 * a Fabric MSP folder's {@code signcerts/}), and the node's id is {@code <MSP ID>/<common name>}, the account the
 * ledger knows it by (chaincode {@code Caller.accountOf}).
 */
public final class NodeCertificates {

    private NodeCertificates() {
    }

    /** Reads one PEM (or DER) X.509 certificate. */
    public static X509Certificate parse(byte[] encoded) throws CertificateException {
        Objects.requireNonNull(encoded, "encoded");
        var certificate = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(encoded));
        if (!(certificate instanceof X509Certificate x509)) {
            throw new CertificateException("not an X.509 certificate");
        }
        return x509;
    }

    public static X509Certificate parsePem(String pem) throws CertificateException {
        return parse(Objects.requireNonNull(pem, "pem").getBytes(StandardCharsets.US_ASCII));
    }

    /** The value of {@link NodeExchange#HEADER_CERTIFICATE} for a PEM certificate. */
    public static String toHeader(String pem) {
        return Base64.getEncoder().encodeToString(Objects.requireNonNull(pem, "pem").getBytes(StandardCharsets.US_ASCII));
    }

    /** hex(SHA-256(DER)): the certificate's line of the canonical request. */
    public static String sha256(X509Certificate certificate) {
        try {
            return Hex.sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded", e);
        }
    }

    /** The subject's common name, if it has exactly one readable CN. */
    public static Optional<String> commonName(X509Certificate certificate) {
        String found = null;
        try {
            for (var rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    if (found != null) {
                        return Optional.empty();
                    }
                    found = String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(found).filter(cn -> !cn.isEmpty());
    }

    /** {@code <MSP ID>/<common name>}. */
    public static String nodeId(String mspId, String commonName) {
        return mspId + "/" + commonName;
    }
}
