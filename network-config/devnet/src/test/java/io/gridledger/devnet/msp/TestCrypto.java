package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Fixtures: the consortium's real crypto-config, CAs that issue test certificates, principals. {@link #shared()} and
 * {@link #expired} serve tests in other packages too (through {@code io.gridledger.devnet.testing.Consortium}).
 */
public final class TestCrypto {

    public static final Path FABRIC_DIR = Path.of("../fabric");

    private TestCrypto() {
    }

    static CryptoConfig consortium() {
        return CryptoConfig.load(FABRIC_DIR);
    }

    private static CryptoMaterial shared;

    /**
     * The consortium's material, generated once per test JVM into a temporary folder removed at exit. Tests that
     * only read share it; tests that write or time generation use their own folder.
     */
    public static synchronized CryptoMaterial shared() {
        if (shared == null) {
            try {
                var root = Files.createTempDirectory("gridledger-msp-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
                shared = generate(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    static CryptoMaterial generate(Path root) {
        return CryptoGenerator.generate(consortium(), root);
    }

    /** The real CA of {@code mspId}, able to issue certificates the org's MSP must judge. */
    static CertificateAuthority caOf(CryptoMaterial material, String mspId) {
        var org = material.org(mspId);
        var layout = material.layout();
        return new CertificateAuthority(MspDirectory.readCertificate(layout.caCertFile(org)),
                MspDirectory.readPrivateKey(layout.caKeyFile(org)));
    }

    /** A signing identity whose certificate {@code ca} issued with {@code ous}. */
    static LocalSigningIdentity issued(CertificateAuthority ca, String mspId, String commonName, List<String> ous) {
        var keys = keys();
        var cert = ca.issueEnrollment(commonName, ous, keys.getPublic(), Optional.empty());
        return new LocalSigningIdentity(mspId, cert, keys.getPrivate());
    }

    /**
     * A client of {@code mspId} whose certificate the org's real CA issued but which expired a day ago: what an MSP
     * deserializes and then refuses to validate.
     */
    public static LocalSigningIdentity expired(CryptoMaterial material, String mspId) {
        var org = material.org(mspId);
        var caCert = MspDirectory.readCertificate(material.layout().caCertFile(org));
        var caKey = MspDirectory.readPrivateKey(material.layout().caKeyFile(org));
        var keys = keys();
        var now = Instant.now();
        var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.OU, "client")
                .addRDN(BCStyle.CN, "expired@" + org.domain()).build();
        try {
            var builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(30))),
                    Date.from(now.minus(Duration.ofDays(1))), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            var certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
            return new LocalSigningIdentity(mspId, certificate, keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair keys() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static MSPPrincipal role(String mspId, MSPRole.MSPRoleType role) {
        return principal(MSPPrincipal.Classification.ROLE,
                MSPRole.newBuilder().setMspIdentifier(mspId).setRole(role).build().toByteString());
    }

    static MSPPrincipal principal(MSPPrincipal.Classification classification, ByteString bytes) {
        return MSPPrincipal.newBuilder().setPrincipalClassification(classification).setPrincipal(bytes).build();
    }
}
