package io.gridledger.devnet.msp;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An org CA as cryptogen makes one ({@code internal/cryptogen/ca}): a self-signed P-256 certificate with subject
 * {@code C=US, ST=California, L=San Francisco, O=<domain>, CN=<name>}, valid ten years from five minutes ago, whose
 * subject key identifier is the SHA-256 of the public point; it issues leaf certificates that carry the authority key
 * identifier and the CA's C/ST/L with the leaf's OUs and CN.
 */
final class CertificateAuthority {

    /** The X.509 extension in which Fabric CA writes enrollment attributes as {@code {"attrs":{...}}} JSON. */
    static final ASN1ObjectIdentifier FABRIC_ATTRIBUTES_OID = new ASN1ObjectIdentifier("1.2.3.4.5.6.7.8.1");

    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final Pattern IP_ADDRESS = Pattern.compile("^[0-9.]+$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    static CertificateAuthority create(String name, String organization, KeyPair keys) {
        var subject = baseName().addRDN(BCStyle.O, organization).addRDN(BCStyle.CN, name).build();
        var builder = builder(subject, subject, keys.getPublic());
        try {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                    | KeyUsage.keyEncipherment | KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(keyIdentifier(keys.getPublic())));
        } catch (CertIOException e) {
            throw new CryptoMaterialException("cannot build the certificate of CA " + name, e);
        }
        return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    X509Certificate certificate() {
        return certificate;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** An enrollment (MSP) certificate: key usage digital signature only, no extended key usage. */
    X509Certificate issueEnrollment(String commonName, List<String> ous, PublicKey key, Optional<String> attributesJson) {
        return issue(commonName, ous, List.of(), key, KeyUsage.digitalSignature, Optional.empty(), attributesJson);
    }

    /** A TLS certificate for server and client authentication with {@code sans} as DNS names or IP addresses. */
    X509Certificate issueTls(String commonName, List<String> sans, PublicKey key) {
        return issue(commonName, List.of(), sans, key, KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                Optional.of(new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                        KeyPurposeId.id_kp_clientAuth})), Optional.empty());
    }

    private X509Certificate issue(String commonName, List<String> ous, List<String> sans, PublicKey key, int keyUsage,
                                  Optional<ExtendedKeyUsage> extendedKeyUsage, Optional<String> attributesJson) {
        var name = baseName();
        // One RDN per OU (not Go's single multi-valued RDN) so that LDAP-name readers such as the chaincode see each OU.
        ous.forEach(ou -> name.addRDN(BCStyle.OU, ou));
        var subject = name.addRDN(BCStyle.CN, commonName).build();
        var issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        var builder = builder(issuer, subject, key);
        try {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (extendedKeyUsage.isPresent()) {
                builder.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage.get());
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(keyIdentifier(certificate.getPublicKey())));
            if (!sans.isEmpty()) {
                var names = sans.stream().map(san -> new GeneralName(
                        IP_ADDRESS.matcher(san).matches() ? GeneralName.iPAddress : GeneralName.dNSName, san))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            if (attributesJson.isPresent()) {
                // The extension value is the JSON text itself, as Fabric CA writes it.
                builder.addExtension(FABRIC_ATTRIBUTES_OID, false, attributesJson.get().getBytes(StandardCharsets.UTF_8));
            }
        } catch (CertIOException e) {
            throw new CryptoMaterialException("cannot build the certificate of " + commonName, e);
        }
        return sign(builder, privateKey);
    }

    private static X500NameBuilder baseName() {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.ST, "California")
                .addRDN(BCStyle.L, "San Francisco");
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key) {
        var notBefore = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
        var serial = new BigInteger(128, RANDOM);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                Date.from(notBefore.plus(VALIDITY)), subject, key);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key) {
        try {
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new CryptoMaterialException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    /** cryptogen's key identifier: SHA-256 of the uncompressed public point (not RFC 5280's SHA-1). */
    static byte[] keyIdentifier(PublicKey key) {
        var point = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        try {
            return MessageDigest.getInstance("SHA-256").digest(point);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
