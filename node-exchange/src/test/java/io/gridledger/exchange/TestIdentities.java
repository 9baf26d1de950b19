package io.gridledger.exchange;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** Test fixtures: a CA and the identities it issues, shaped as a Fabric CA issues them. */
final class TestIdentities {

    private static final AtomicLong SERIAL = new AtomicLong(1);

    record Issued(X509Certificate certificate, KeyPair keys) {
        String pem() {
            try {
                return "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestIdentities() {
    }

    static KeyPair ecKeys() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Issued ca(String name) {
        var keys = ecKeys();
        return new Issued(issue(new X500Name("CN=" + name), keys, new X500Name("CN=" + name), keys, true,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365))), keys);
    }

    static Issued node(Issued ca, String subject) {
        return node(ca, subject, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
    }

    static Issued node(Issued ca, String subject, Instant notBefore, Instant notAfter) {
        var keys = ecKeys();
        var issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
        return new Issued(issue(new X500Name(subject), keys, issuer, ca.keys(), false, notBefore, notAfter), keys);
    }

    private static X509Certificate issue(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                         boolean ca, Instant notBefore, Instant notAfter) {
        try {
            var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
