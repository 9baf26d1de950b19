package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Optional;

/** Fixtures: the consortium's real crypto-config, CAs that issue test certificates, principals. */
final class TestCrypto {

    static final Path FABRIC_DIR = Path.of("../fabric");

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
    static synchronized CryptoMaterial shared() {
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
