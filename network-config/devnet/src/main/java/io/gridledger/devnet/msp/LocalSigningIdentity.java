package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * A signing identity held in a local MSP folder (a peer's, an orderer's, a user's): certificate plus EC private key.
 * Signatures are ECDSA-SHA256 in DER with S normalized to the lower half of the curve order, the only form Fabric
 * accepts. Thread-safe.
 *
 * <pre>{@code
 * var peer = MspDirectory.signingIdentity(layout.nodeDir(org, node).resolve("msp"), "Org1MSP");
 * byte[] signature = peer.sign(proposalResponsePayload);
 * }</pre>
 */
public final class LocalSigningIdentity implements SigningIdentity {

    private final String mspId;
    private final X509Certificate certificate;
    private final ECPrivateKey privateKey;
    private final ByteString serialized;
    private final EcdsaKey publicKey;
    /** Whether the private key is the certificate's (a mismatched identity's signatures are never remembered valid). */
    private final boolean ownKey;

    public LocalSigningIdentity(String mspId, X509Certificate certificate, PrivateKey privateKey) {
        this.mspId = Objects.requireNonNull(mspId, "mspId");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        if (!(Objects.requireNonNull(privateKey, "privateKey") instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("Fabric identities sign with ECDSA keys, not " + privateKey.getAlgorithm());
        }
        this.privateKey = ec;
        this.serialized = serialize(mspId, certificate);
        if (!(certificate.getPublicKey() instanceof ECPublicKey publicEc)) {
            throw new IllegalArgumentException("Fabric certificates hold ECDSA keys, not " + certificate.getPublicKey().getAlgorithm());
        }
        this.publicKey = EcdsaKey.of(publicEc);
        this.ownKey = publicKey.isPublicHalfOf(ec);
    }

    /** The {@code msp.SerializedIdentity} Fabric puts in headers and endorsements: MSP ID and PEM certificate. */
    public static ByteString serialize(String mspId, X509Certificate certificate) {
        return SerializedIdentity.newBuilder()
                .setMspid(mspId)
                .setIdBytes(ByteString.copyFromUtf8(Pem.certificate(certificate)))
                .build()
                .toByteString();
    }

    @Override
    public String mspId() {
        return mspId;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public ByteString serialized() {
        return serialized;
    }

    @Override
    public byte[] sign(byte[] message) {
        try {
            return EcdsaSignatures.sign(privateKey, publicKey, ownKey, message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign as " + mspId + " " + certificate.getSubjectX500Principal(), e);
        }
    }

    @Override
    public String toString() {
        return mspId + " " + certificate.getSubjectX500Principal().getName();
    }
}
