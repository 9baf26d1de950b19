package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.msp.Identity.NodeRole;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.hyperledger.fabric.protos.msp.FabricCryptoConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The verifying MSP of one org, as a channel knows it: root and intermediate CA certificates, node OUs, admin
 * certificates and TLS CAs. {@link #validate} applies Fabric's X.509 MSP rules to a certificate claiming to belong to
 * the org. Convertible to and from the {@code FabricMSPConfig} of a channel configuration.
 *
 * <p>Deliberate difference from Fabric: validity periods are checked against the current time (Fabric's MSP checks
 * only the chain, and expiry elsewhere). Fabric's {@code OrganizationalUnitIdentifiers} and CRLs are not supported.
 */
public record OrgMsp(String mspId, List<X509Certificate> rootCerts, List<X509Certificate> intermediateCerts,
                     List<X509Certificate> adminCerts, NodeOus nodeOus, List<X509Certificate> tlsRootCerts,
                     List<X509Certificate> tlsIntermediateCerts) {

    private static final int MAX_CHAIN_LENGTH = 8;

    public OrgMsp {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(nodeOus, "nodeOus");
        rootCerts = List.copyOf(rootCerts);
        intermediateCerts = List.copyOf(intermediateCerts);
        adminCerts = List.copyOf(adminCerts);
        tlsRootCerts = List.copyOf(tlsRootCerts);
        tlsIntermediateCerts = List.copyOf(tlsIntermediateCerts);
        if (rootCerts.isEmpty()) {
            throw new IllegalArgumentException("MSP " + mspId + " has no root CA certificate");
        }
    }

    /**
     * The identity {@code certificate} (read from {@code serialized}) if this MSP vouches for it: not a CA, issued
     * through this org's CA chain, within its validity period, and with exactly one node OU when node OUs are enabled.
     */
    public MspIdentity validate(ByteString serialized, X509Certificate certificate) throws InvalidIdentityException {
        var subject = certificate.getSubjectX500Principal().getName();
        // Fabric reads a self-signed CA certificate as its own root, so only its validation (which names the org)
        // refuses it; any other certificate must chain to this MSP's CAs to be read at all.
        boolean selfSignedCa = certificate.getBasicConstraints() >= 0 && selfSigned(certificate);
        var chain = selfSignedCa ? List.of(certificate) : chainOf(certificate, subject);
        if (certificate.getBasicConstraints() >= 0) {
            throw new InvalidIdentityException("certificate of '" + subject + "' is a CA certificate; " + mspId
                    + " does not accept CA certificates as identities");
        }
        if (!(certificate.getPublicKey() instanceof ECPublicKey)) {
            throw new InvalidIdentityException("certificate of '" + subject + "' has no ECDSA public key");
        }
        var now = new Date();
        for (var cert : chain) {
            try {
                cert.checkValidity(now);
            } catch (CertificateExpiredException e) {
                throw new InvalidIdentityException("certificate of '" + cert.getSubjectX500Principal().getName()
                        + "' expired on " + cert.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                throw new InvalidIdentityException("certificate of '" + cert.getSubjectX500Principal().getName()
                        + "' is not valid before " + cert.getNotBefore().toInstant());
            }
        }
        var ous = organizationalUnits(certificate);
        var nodeRole = nodeRole(chain, ous, subject);
        boolean listedAdmin = adminCerts.contains(certificate);
        return new MspIdentity(this, serialized, certificate, chain, ous, nodeRole, listedAdmin);
    }

    /** [certificate, issuer, …, root], found by issuer name and checked by signature. */
    private List<X509Certificate> chainOf(X509Certificate certificate, String subject) throws InvalidIdentityException {
        var chain = new ArrayList<X509Certificate>();
        chain.add(certificate);
        var current = certificate;
        while (chain.size() <= MAX_CHAIN_LENGTH) {
            var issuer = issuerOf(current, rootCerts);
            if (issuer.isPresent()) {
                chain.add(issuer.get());
                return chain;
            }
            var intermediate = issuerOf(current, intermediateCerts);
            if (intermediate.isEmpty() || chain.contains(intermediate.get())) {
                break;
            }
            chain.add(intermediate.get());
            current = intermediate.get();
        }
        throw InvalidIdentityException.unreadable("certificate of '" + subject + "' was not issued by " + mspId + "'s CA");
    }

    private static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Optional<X509Certificate> issuerOf(X509Certificate cert, List<X509Certificate> candidates) {
        for (var candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                try {
                    cert.verify(candidate.getPublicKey());
                    return Optional.of(candidate);
                } catch (GeneralSecurityException e) {
                    // same name, different key: not this issuer
                }
            }
        }
        return Optional.empty();
    }

    /** The node OU role of an identity, or CLIENT when node OUs are disabled (Fabric cannot tell roles apart then). */
    private NodeRole nodeRole(List<X509Certificate> chain, List<String> ous, String subject)
            throws InvalidIdentityException {
        if (!nodeOus.enabled()) {
            return NodeRole.CLIENT;
        }
        var matched = new ArrayList<NodeRole>();
        for (var entry : nodeOus.identifiers().entrySet()) {
            var identifier = entry.getValue();
            if (identifier.organizationalUnit().isEmpty() || !ous.contains(identifier.organizationalUnit())) {
                continue;
            }
            if (identifier.certificate().isPresent() && !identifier.certificate().get().equals(chain.get(1))) {
                throw new InvalidIdentityException("node OU '" + identifier.organizationalUnit() + "' of certificate '"
                        + subject + "' was not certified by the CA " + mspId + " names for it");
            }
            matched.add(entry.getKey());
        }
        if (matched.size() != 1) {
            throw new InvalidIdentityException("certificate of '" + subject + "' must carry exactly one node OU of "
                    + mspId + " (" + String.join(", ", nodeOuNames()) + ") but carries "
                    + (matched.isEmpty() ? "none" : matched.size()) + "; its OUs: " + ous);
        }
        return matched.get(0);
    }

    private List<String> nodeOuNames() {
        return nodeOus.identifiers().values().stream().map(NodeOus.OuIdentifier::organizationalUnit).toList();
    }

    /** Every OU attribute of the certificate's subject, multi-valued RDNs included, in order. */
    static List<String> organizationalUnits(X509Certificate certificate) {
        var name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        var ous = new ArrayList<String>();
        for (var rdn : name.getRDNs()) {
            for (var attribute : rdn.getTypesAndValues()) {
                if (attribute.getType().equals(BCStyle.OU) && attribute.getValue() instanceof ASN1String value) {
                    ous.add(value.getString());
                }
            }
        }
        return ous;
    }

    /** The {@code FabricMSPConfig} of this org for a channel configuration (what configtxgen writes). */
    public FabricMSPConfig toFabricMspConfig() {
        var config = FabricMSPConfig.newBuilder()
                .setName(mspId)
                .addAllRootCerts(pems(rootCerts))
                .addAllIntermediateCerts(pems(intermediateCerts))
                .addAllAdmins(pems(adminCerts))
                .addAllTlsRootCerts(pems(tlsRootCerts))
                .addAllTlsIntermediateCerts(pems(tlsIntermediateCerts))
                .setCryptoConfig(FabricCryptoConfig.newBuilder()
                        .setSignatureHashFamily("SHA2")
                        .setIdentityIdentifierHashFunction("SHA256"));
        if (nodeOus.enabled()) {
            var ous = FabricNodeOUs.newBuilder().setEnable(true);
            nodeOus.identifier(NodeRole.CLIENT).ifPresent(id -> ous.setClientOuIdentifier(ouIdentifier(id)));
            nodeOus.identifier(NodeRole.PEER).ifPresent(id -> ous.setPeerOuIdentifier(ouIdentifier(id)));
            nodeOus.identifier(NodeRole.ADMIN).ifPresent(id -> ous.setAdminOuIdentifier(ouIdentifier(id)));
            nodeOus.identifier(NodeRole.ORDERER).ifPresent(id -> ous.setOrdererOuIdentifier(ouIdentifier(id)));
            config.setFabricNodeOus(ous);
        }
        return config.build();
    }

    /** The org MSP a channel configuration's {@code FabricMSPConfig} describes. */
    public static OrgMsp fromFabricMspConfig(FabricMSPConfig config) {
        try {
            var nodeOus = NodeOus.disabled();
            if (config.hasFabricNodeOus() && config.getFabricNodeOus().getEnable()) {
                var ous = config.getFabricNodeOus();
                var identifiers = new EnumMap<NodeRole, NodeOus.OuIdentifier>(NodeRole.class);
                putIdentifier(identifiers, NodeRole.CLIENT, ous.hasClientOuIdentifier(), ous.getClientOuIdentifier());
                putIdentifier(identifiers, NodeRole.PEER, ous.hasPeerOuIdentifier(), ous.getPeerOuIdentifier());
                putIdentifier(identifiers, NodeRole.ADMIN, ous.hasAdminOuIdentifier(), ous.getAdminOuIdentifier());
                putIdentifier(identifiers, NodeRole.ORDERER, ous.hasOrdererOuIdentifier(), ous.getOrdererOuIdentifier());
                nodeOus = new NodeOus(true, identifiers);
            }
            return new OrgMsp(config.getName(), certs(config.getRootCertsList()), certs(config.getIntermediateCertsList()),
                    certs(config.getAdminsList()), nodeOus, certs(config.getTlsRootCertsList()),
                    certs(config.getTlsIntermediateCertsList()));
        } catch (CertificateException e) {
            throw new CryptoMaterialException("MSP " + config.getName() + " holds a malformed certificate: "
                    + e.getMessage(), e);
        }
    }

    private static void putIdentifier(Map<NodeRole, NodeOus.OuIdentifier> identifiers, NodeRole role, boolean present,
                                      FabricOUIdentifier identifier) throws CertificateException {
        if (present) {
            var certs = Pem.certificates(identifier.getCertificate().toStringUtf8());
            identifiers.put(role, new NodeOus.OuIdentifier(identifier.getOrganizationalUnitIdentifier(),
                    certs.stream().findFirst()));
        }
    }

    private static FabricOUIdentifier ouIdentifier(NodeOus.OuIdentifier identifier) {
        var builder = FabricOUIdentifier.newBuilder().setOrganizationalUnitIdentifier(identifier.organizationalUnit());
        identifier.certificate().ifPresent(cert -> builder.setCertificate(ByteString.copyFromUtf8(Pem.certificate(cert))));
        return builder.build();
    }

    private static List<ByteString> pems(List<X509Certificate> certs) {
        return certs.stream().map(cert -> ByteString.copyFromUtf8(Pem.certificate(cert))).toList();
    }

    private static List<X509Certificate> certs(List<ByteString> pems) throws CertificateException {
        var certs = new ArrayList<X509Certificate>();
        for (var pem : pems) {
            certs.addAll(Pem.certificates(pem.toStringUtf8()));
        }
        return certs;
    }
}
