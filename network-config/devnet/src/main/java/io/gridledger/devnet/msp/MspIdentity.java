package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.CombinedPrincipal;
import org.hyperledger.fabric.protos.common.MSPIdentityAnonymity;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.OrganizationUnit;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;

/**
 * An identity an {@link OrgMsp} has validated (see {@link ChannelMsps#deserialize}): its certificate, chain to the
 * org's root CA, subject OUs and node OU role. Immutable and thread-safe; safe to cache and share.
 */
public final class MspIdentity implements Identity {

    private final OrgMsp msp;
    private final ByteString serialized;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final List<String> organizationalUnits;
    private final NodeRole nodeOuRole;
    private final boolean listedAdmin;
    private final EcdsaKey key;
    private final byte[] certifiersIdentifier;

    MspIdentity(OrgMsp msp, ByteString serialized, X509Certificate certificate, List<X509Certificate> chain,
                List<String> organizationalUnits, NodeRole nodeOuRole, boolean listedAdmin) {
        this.msp = msp;
        this.serialized = serialized;
        this.certificate = certificate;
        this.chain = List.copyOf(chain);
        this.organizationalUnits = List.copyOf(organizationalUnits);
        this.nodeOuRole = nodeOuRole;
        this.listedAdmin = listedAdmin;
        this.key = EcdsaKey.of((ECPublicKey) certificate.getPublicKey());
        this.certifiersIdentifier = certifiersIdentifier(this.chain);
    }

    @Override
    public String mspId() {
        return msp.mspId();
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public ByteString serialized() {
        return serialized;
    }

    /** ADMIN when the node OU is {@code admin} or the certificate is in the MSP's admincerts, else the node OU role. */
    @Override
    public NodeRole role() {
        return listedAdmin ? NodeRole.ADMIN : nodeOuRole;
    }

    /** The subject's OUs, e.g. {@code [client, provider]}. */
    public List<String> organizationalUnits() {
        return organizationalUnits;
    }

    /** [certificate, issuing CA, …, root CA]. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Fabric's certifiers identifier: SHA-256 over the DER of the chain above the certificate. An
     * {@code ORGANIZATION_UNIT} principal must carry it to be satisfied, as in Fabric.
     */
    public byte[] certifiersIdentifier() {
        return certifiersIdentifier.clone();
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
        return EcdsaSignatures.verify(key, message, signature);
    }

    @Override
    public boolean satisfies(MSPPrincipal principal) {
        try {
            return switch (principal.getPrincipalClassification()) {
                case ROLE -> satisfiesRole(MSPRole.parseFrom(principal.getPrincipal()));
                case IDENTITY -> isIdentity(SerializedIdentity.parseFrom(principal.getPrincipal()));
                case ORGANIZATION_UNIT -> inOrganizationUnit(OrganizationUnit.parseFrom(principal.getPrincipal()));
                case COMBINED -> satisfiesAll(CombinedPrincipal.parseFrom(principal.getPrincipal()));
                case ANONYMITY -> MSPIdentityAnonymity.parseFrom(principal.getPrincipal()).getAnonymityType()
                        == MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL;
                case UNRECOGNIZED -> false;
            };
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private boolean satisfiesRole(MSPRole role) {
        if (!role.getMspIdentifier().equals(mspId())) {
            return false;
        }
        boolean nodeOus = msp.nodeOus().enabled();
        return switch (role.getRole()) {
            case MEMBER -> true;
            case ADMIN -> listedAdmin || (nodeOus && nodeOuRole == NodeRole.ADMIN);
            case CLIENT -> nodeOus && nodeOuRole == NodeRole.CLIENT;
            case PEER -> nodeOus && nodeOuRole == NodeRole.PEER;
            case ORDERER -> nodeOus && nodeOuRole == NodeRole.ORDERER;
            case UNRECOGNIZED -> false;
        };
    }

    private boolean isIdentity(SerializedIdentity principal) {
        if (!principal.getMspid().equals(mspId())) {
            return false;
        }
        try {
            var der = Pem.firstCertificateDer(principal.getIdBytes().toStringUtf8());
            return der.isPresent() && Arrays.equals(der.get(), certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            return false;
        }
    }

    private boolean inOrganizationUnit(OrganizationUnit unit) {
        return unit.getMspIdentifier().equals(mspId())
                && organizationalUnits.contains(unit.getOrganizationalUnitIdentifier())
                && Arrays.equals(unit.getCertifiersIdentifier().toByteArray(), certifiersIdentifier);
    }

    private boolean satisfiesAll(CombinedPrincipal combined) {
        return combined.getPrincipalsCount() > 0 && combined.getPrincipalsList().stream().allMatch(this::satisfies);
    }

    private static byte[] certifiersIdentifier(List<X509Certificate> chain) {
        try {
            var above = new ByteArrayOutputStream();
            for (var cert : chain.subList(1, chain.size())) {
                above.writeBytes(cert.getEncoded());
            }
            return MessageDigest.getInstance("SHA-256").digest(above.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot hash a validated certificate chain", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MspIdentity that && serialized.equals(that.serialized);
    }

    @Override
    public int hashCode() {
        return serialized.hashCode();
    }

    @Override
    public String toString() {
        return mspId() + " " + role() + " " + certificate.getSubjectX500Principal().getName();
    }
}
