package io.gridledger.devnet.msp;

import io.gridledger.devnet.msp.Identity.NodeRole;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads MSP folders in Fabric's layout (what cryptogen and Fabric CA write): a local MSP ({@code signcerts/},
 * {@code keystore/}) as a {@link LocalSigningIdentity}, and an org's verifying MSP ({@code cacerts/},
 * {@code intermediatecerts/}, {@code admincerts/}, {@code tlscacerts/}, {@code tlsintermediatecerts/},
 * {@code config.yaml}) as an {@link OrgMsp}. Failures are {@link CryptoMaterialException}s naming the file.
 *
 * <pre>{@code
 * OrgMsp org1 = MspDirectory.orgMsp(layout.orgMspDir(org), "Org1MSP");
 * LocalSigningIdentity peer0 = MspDirectory.signingIdentity(CryptoLayout.mspDir(layout.nodeDir(org, node)), "Org1MSP");
 * }</pre>
 */
public final class MspDirectory {

    private static final Map<NodeRole, String> NODE_OU_KEYS = Map.of(
            NodeRole.CLIENT, "ClientOUIdentifier", NodeRole.PEER, "PeerOUIdentifier",
            NodeRole.ADMIN, "AdminOUIdentifier", NodeRole.ORDERER, "OrdererOUIdentifier");

    private MspDirectory() {
    }

    /** The signing identity of a local MSP folder: the certificate in {@code signcerts/} and its key in {@code keystore/}. */
    public static LocalSigningIdentity signingIdentity(Path mspDir, String mspId) {
        var certs = certificatesIn(mspDir.resolve("signcerts"));
        if (certs.isEmpty()) {
            throw new CryptoMaterialException("no certificate in " + mspDir.resolve("signcerts"));
        }
        var certificate = certs.get(0);
        var keyFiles = filesIn(mspDir.resolve("keystore"));
        if (keyFiles.size() == 1) {
            return new LocalSigningIdentity(mspId, certificate, readPrivateKey(keyFiles.get(0)));
        }
        for (var keyFile : keyFiles) {
            var key = readPrivateKey(keyFile);
            if (matches(key, certificate)) {
                return new LocalSigningIdentity(mspId, certificate, key);
            }
        }
        throw new CryptoMaterialException("no key in " + mspDir.resolve("keystore") + " matches the certificate of '"
                + certificate.getSubjectX500Principal().getName() + "'");
    }

    /** The verifying MSP of an org's {@code msp} folder. */
    public static OrgMsp orgMsp(Path mspDir, String mspId) {
        var rootCerts = certificatesIn(mspDir.resolve("cacerts"));
        if (rootCerts.isEmpty()) {
            throw new CryptoMaterialException("no CA certificate in " + mspDir.resolve("cacerts"));
        }
        return new OrgMsp(mspId, rootCerts, certificatesIn(mspDir.resolve("intermediatecerts")),
                certificatesIn(mspDir.resolve("admincerts")), nodeOus(mspDir),
                certificatesIn(mspDir.resolve("tlscacerts")), certificatesIn(mspDir.resolve("tlsintermediatecerts")));
    }

    private static NodeOus nodeOus(Path mspDir) {
        var configFile = mspDir.resolve("config.yaml");
        if (!Files.exists(configFile)) {
            return NodeOus.disabled();
        }
        try {
            Map<String, Object> config = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(configFile));
            var nodeOus = config == null ? null : (Map<?, ?>) config.get("NodeOUs");
            if (nodeOus == null || !Boolean.TRUE.equals(nodeOus.get("Enable"))) {
                return NodeOus.disabled();
            }
            var identifiers = new EnumMap<NodeRole, NodeOus.OuIdentifier>(NodeRole.class);
            for (var entry : NODE_OU_KEYS.entrySet()) {
                var identifier = (Map<?, ?>) nodeOus.get(entry.getValue());
                if (identifier == null) {
                    continue;
                }
                var ou = String.valueOf(identifier.get("OrganizationalUnitIdentifier"));
                var certificate = Optional.ofNullable(identifier.get("Certificate"))
                        .map(path -> readCertificate(mspDir.resolve(String.valueOf(path))));
                identifiers.put(entry.getKey(), new NodeOus.OuIdentifier(ou, certificate));
            }
            return new NodeOus(true, identifiers);
        } catch (IOException | ClassCastException | org.yaml.snakeyaml.error.YAMLException e) {
            throw new CryptoMaterialException("cannot read the node OUs of " + configFile + ": " + e.getMessage(), e);
        }
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) {
        var certs = readCertificates(file);
        if (certs.isEmpty()) {
            throw new CryptoMaterialException("no PEM certificate in " + file);
        }
        return certs.get(0);
    }

    /** A PKCS#8 or SEC 1 PEM private key. */
    public static PrivateKey readPrivateKey(Path file) {
        try {
            return Pem.privateKey(Files.readString(file));
        } catch (IOException e) {
            throw new CryptoMaterialException("cannot read the private key " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file) {
        try {
            return Pem.certificates(Files.readString(file));
        } catch (IOException | CertificateException e) {
            throw new CryptoMaterialException("cannot read the certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificatesIn(Path dir) {
        var certs = new ArrayList<X509Certificate>();
        filesIn(dir).forEach(file -> certs.addAll(readCertificates(file)));
        return certs;
    }

    /** The regular files of {@code dir} in name order; none if it does not exist. */
    private static List<Path> filesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new CryptoMaterialException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} is the private half of the certificate's public key (Q = d·G; a probe signature otherwise). */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        if (key instanceof java.security.interfaces.ECPrivateKey ec
                && certificate.getPublicKey() instanceof java.security.interfaces.ECPublicKey publicKey
                && EcdsaKey.of(publicKey).isPublicHalfOf(ec)) {
            return true;
        }
        try {
            var probe = new byte[] {1, 2, 3};
            var engine = EcdsaSignatures.engine();
            engine.initSign(key);
            engine.update(probe);
            var signature = engine.sign();
            engine.initVerify(certificate.getPublicKey());
            engine.update(probe);
            return engine.verify(signature);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
