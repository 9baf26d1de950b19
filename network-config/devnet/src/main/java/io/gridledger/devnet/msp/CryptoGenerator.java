package io.gridledger.devnet.msp;

import io.gridledger.devnet.msp.CryptoConfig.Org;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes what {@code cryptogen generate} writes for a {@link CryptoConfig} (same folders, file names, certificate
 * profiles and {@code config.yaml}, see {@link CryptoLayout}), plus GridLedger's provider-node identities: client
 * certificates with an extra {@code OU=provider} and the Fabric CA attribute {@code gridledger.role=provider}.
 *
 * <p>Generation is idempotent: a CA or an identity whose files are all present is reused untouched, so a restarted
 * devnet keeps its identities; only what is missing is issued (e.g. the orgs added by
 * {@link CryptoConfig#withPeerOrgs(int)}). An org whose CA is missing is issued afresh as a whole, since nothing
 * under it could chain to a new CA. Nodes' TLS certificates also name {@code localhost} and {@code 127.0.0.1},
 * where devnet listens.
 *
 * <pre>{@code
 * CryptoMaterial material = CryptoGenerator.generate(CryptoConfig.load(fabricDir), dataDir.resolve("crypto"));
 * }</pre>
 */
public final class CryptoGenerator {

    /** The attributes Fabric CA would write for a provider node registered with {@code gridledger.role=provider}. */
    public static final String PROVIDER_ATTRIBUTES = "{\"attrs\":{\"gridledger.role\":\"provider\"}}";
    public static final String PROVIDER_OU = "provider";

    private static final Logger LOG = LoggerFactory.getLogger(CryptoGenerator.class);
    private static final List<String> LOCAL_SANS = List.of("localhost", "127.0.0.1");

    private final CryptoLayout layout;
    private final KeyPairGenerator keyGenerator;

    private CryptoGenerator(CryptoLayout layout) {
        this.layout = layout;
        try {
            keyGenerator = KeyPairGenerator.getInstance("EC");
            keyGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256 key generator", e);
        }
    }

    /** Issues whatever of {@code config}'s material is missing under {@code root} and returns all of it. */
    public static CryptoMaterial generate(CryptoConfig config, Path root) {
        Objects.requireNonNull(config, "config");
        var layout = new CryptoLayout(Objects.requireNonNull(root, "root"));
        var generator = new CryptoGenerator(layout);
        try {
            for (var org : config.orgs()) {
                generator.generateOrg(org);
            }
        } catch (IOException e) {
            throw new CryptoMaterialException("cannot write crypto material under " + root + ": " + e.getMessage(), e);
        }
        return new CryptoMaterial(config, layout);
    }

    private enum Kind { CLIENT, ADMIN, PEER, ORDERER }

    private void generateOrg(Org org) throws IOException {
        var issued = new ArrayList<String>();
        CertificateAuthority ca;
        CertificateAuthority tlsCa;
        if (Files.exists(layout.caCertFile(org)) && Files.exists(layout.caKeyFile(org))
                && Files.exists(layout.tlsCaCertFile(org)) && Files.exists(layout.tlsCaKeyFile(org))) {
            ca = loadCa(layout.caCertFile(org), layout.caKeyFile(org));
            tlsCa = loadCa(layout.tlsCaCertFile(org), layout.tlsCaKeyFile(org));
        } else {
            deleteTree(layout.orgDir(org));
            ca = CertificateAuthority.create("ca." + org.domain(), org.domain(), newKeys());
            tlsCa = CertificateAuthority.create("tlsca." + org.domain(), org.domain(), newKeys());
            writeCa(ca, layout.caCertFile(org), layout.caKeyFile(org));
            writeCa(tlsCa, layout.tlsCaCertFile(org), layout.tlsCaKeyFile(org));
            issued.add("CAs");
        }
        var ctx = new OrgContext(org, ca, tlsCa);

        var adminDir = layout.userDir(org, org.adminName());
        if (ensureIdentity(ctx, adminDir, org.enableNodeOUs() ? Kind.ADMIN : Kind.CLIENT, List.of(), Optional.empty(),
                List.of())) {
            issued.add(org.adminName());
        }
        var adminCert = Files.readString(CryptoLayout.signCertFile(adminDir));
        ctx = ctx.withAdminCert(adminCert);

        if (!Files.exists(layout.orgMspDir(org).resolve("cacerts"))) {
            writeMspCommon(ctx, layout.orgMspDir(org));
            issued.add("org MSP");
        }
        for (var node : org.nodes()) {
            var sans = new ArrayList<>(new LinkedHashSet<>(Stream.concat(node.sans().stream(), LOCAL_SANS.stream()).toList()));
            var kind = org.type() == CryptoConfig.OrgType.PEER ? Kind.PEER : Kind.ORDERER;
            if (ensureIdentity(ctx, layout.nodeDir(org, node), kind, List.of(), Optional.empty(), sans)) {
                issued.add(node.commonName());
            }
        }
        for (var user : org.userNames()) {
            if (ensureIdentity(ctx, layout.userDir(org, user), Kind.CLIENT, List.of(), Optional.empty(), List.of())) {
                issued.add(user);
            }
        }
        for (var provider : org.providerNames()) {
            if (ensureIdentity(ctx, layout.userDir(org, provider), Kind.CLIENT, List.of(PROVIDER_OU),
                    Optional.of(PROVIDER_ATTRIBUTES), List.of())) {
                issued.add(provider);
            }
        }
        if (issued.isEmpty()) {
            LOG.debug("Reusing the crypto material of {} in {}", org.mspId(), layout.orgDir(org));
        } else {
            LOG.info("Issued crypto material of {} in {}: {}", org.mspId(), layout.orgDir(org), issued);
        }
    }

    private record OrgContext(Org org, CertificateAuthority ca, CertificateAuthority tlsCa, String caPem,
                              String tlsCaPem, Optional<String> adminCertPem) {
        OrgContext(Org org, CertificateAuthority ca, CertificateAuthority tlsCa) {
            this(org, ca, tlsCa, Pem.certificate(ca.certificate()), Pem.certificate(tlsCa.certificate()), Optional.empty());
        }

        OrgContext withAdminCert(String pem) {
            return new OrgContext(org, ca, tlsCa, caPem, tlsCaPem, Optional.of(pem));
        }
    }

    /** Issues the identity in {@code dir} unless all its files exist; returns whether it issued. */
    private boolean ensureIdentity(OrgContext ctx, Path dir, Kind kind, List<String> extraOus,
                                   Optional<String> attributes, List<String> tlsSans) throws IOException {
        var tlsCert = CryptoLayout.tlsCertFile(dir);
        var required = List.of(CryptoLayout.signCertFile(dir), CryptoLayout.privateKeyFile(dir),
                CryptoLayout.tlsCaFile(dir), tlsCert, CryptoLayout.tlsKeyFile(dir),
                CryptoLayout.mspDir(dir).resolve("cacerts").resolve(CryptoLayout.caCertFileName(ctx.org())));
        if (required.stream().allMatch(Files::exists)) {
            return false;
        }
        deleteTree(dir);
        var name = dir.getFileName().toString();
        var mspDir = CryptoLayout.mspDir(dir);
        var ous = new ArrayList<String>();
        if (ctx.org().enableNodeOUs()) {
            ous.add(kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        ous.addAll(extraOus);

        var keys = newKeys();
        var cert = ctx.ca().issueEnrollment(name, ous, keys.getPublic(), attributes);
        var tlsKeys = newKeys();
        var tls = ctx.tlsCa().issueTls(name, tlsSans, tlsKeys.getPublic());

        var certPem = Pem.certificate(cert);
        // Without node OUs an MSP's admins are listed by certificate; the org admin is its own admin.
        writeMspCommon(ctx.adminCertPem().isPresent() ? ctx : ctx.withAdminCert(certPem), mspDir);
        writeKey(CryptoLayout.privateKeyFile(dir), Pem.privateKey(keys.getPrivate()));
        write(CryptoLayout.signCertFile(dir), certPem);
        write(CryptoLayout.tlsCaFile(dir), ctx.tlsCaPem());
        write(tlsCert, Pem.certificate(tls));
        writeKey(CryptoLayout.tlsKeyFile(dir), Pem.privateKey(tlsKeys.getPrivate()));
        return true;
    }

    /** cacerts, tlscacerts and config.yaml (node OUs) or admincerts (no node OUs), as in every cryptogen MSP folder. */
    private void writeMspCommon(OrgContext ctx, Path mspDir) throws IOException {
        var org = ctx.org();
        write(mspDir.resolve("cacerts").resolve(CryptoLayout.caCertFileName(org)), ctx.caPem());
        write(mspDir.resolve("tlscacerts").resolve(CryptoLayout.tlsCaCertFileName(org)), ctx.tlsCaPem());
        if (org.enableNodeOUs()) {
            write(mspDir.resolve("config.yaml"), nodeOusConfig("cacerts/" + CryptoLayout.caCertFileName(org)));
        } else if (ctx.adminCertPem().isPresent()) {
            write(mspDir.resolve("admincerts").resolve(org.adminName() + "-cert.pem"), ctx.adminCertPem().get());
        }
    }

    /** The {@code config.yaml} cryptogen writes (Go's yaml.v2 rendering of msp.Configuration). */
    static String nodeOusConfig(String caFile) {
        var yaml = new StringBuilder("NodeOUs:\n  Enable: true\n");
        for (var kind : List.of("Client", "Peer", "Admin", "Orderer")) {
            yaml.append("  ").append(kind).append("OUIdentifier:\n")
                    .append("    Certificate: ").append(caFile).append('\n')
                    .append("    OrganizationalUnitIdentifier: ").append(kind.toLowerCase(java.util.Locale.ROOT)).append('\n');
        }
        return yaml.toString();
    }

    private KeyPair newKeys() {
        return keyGenerator.generateKeyPair();
    }

    private static CertificateAuthority loadCa(Path certFile, Path keyFile) {
        return new CertificateAuthority(MspDirectory.readCertificate(certFile), MspDirectory.readPrivateKey(keyFile));
    }

    private static void writeCa(CertificateAuthority ca, Path certFile, Path keyFile) throws IOException {
        writeKey(keyFile, Pem.privateKey(ca.privateKey()));
        write(certFile, Pem.certificate(ca.certificate()));
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static void writeKey(Path file, String pem) throws IOException {
        write(file, pem);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | FileSystemException e) {
            LOG.debug("Cannot restrict the permissions of {}: {}", file, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
