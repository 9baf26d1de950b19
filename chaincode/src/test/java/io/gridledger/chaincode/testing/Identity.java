package io.gridledger.chaincode.testing;

import com.google.protobuf.ByteString;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.Objects;

/**
 * A Fabric identity for tests: an MSP id plus a real X.509 certificate and its private key, as issued by
 * {@link TestIdentities}.
 *
 * <p>{@link #serialized()} is exactly what a peer hands the chaincode as the proposal creator, so the shim's
 * {@code ClientIdentity} (and anything built on it) sees this identity as it would see a real client.
 *
 * <pre>{@code
 * var ids = TestIdentities.create("Org1MSP", "Org2MSP");
 * Identity alice = ids.client("Org1MSP", "alice");
 * ledger.submit(alice, "Market:placeOffer", offerJson);
 * }</pre>
 *
 * @param mspId       the MSP the identity belongs to, e.g. {@code Org1MSP}
 * @param name        the certificate's common name (the enrollment id)
 * @param certificate the certificate, signed by the org's test CA
 * @param privateKey  the EC P-256 key of the certificate
 */
public record Identity(String mspId, String name, X509Certificate certificate, PrivateKey privateKey) {

    public Identity {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** The certificate in PEM, as Fabric puts it in {@code SerializedIdentity.id_bytes}. */
    public String certificatePem() {
        try {
            var base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the certificate of " + name, e);
        }
    }

    /** The protobuf {@code msp.SerializedIdentity{mspid, id_bytes = PEM}}: the creator bytes of a proposal. */
    public byte[] serialized() {
        return SerializedIdentity.newBuilder()
                .setMspid(mspId)
                .setIdBytes(ByteString.copyFromUtf8(certificatePem()))
                .build()
                .toByteArray();
    }

    /**
     * The id the shim's {@code ClientIdentity.getId()} derives from this certificate:
     * {@code x509::<subject DN>::<issuer DN>}, e.g. {@code x509::CN=alice, OU=client, O=Org1::CN=ca.org1, O=Org1}.
     */
    @SuppressWarnings("deprecation") // the shim builds the id with getSubjectDN()/getIssuerDN(); mirror it exactly
    public String clientId() {
        return "x509::" + certificate.getSubjectDN().getName() + "::" + certificate.getIssuerDN().getName();
    }

    /**
     * Signs {@code message} with SHA256withECDSA, normalised to low-S as Fabric's MSP requires of every
     * signature it verifies.
     */
    public byte[] sign(byte[] message) {
        try {
            var signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(privateKey);
            signer.update(message);
            return toLowS(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign as " + name, e);
        }
    }

    private byte[] toLowS(byte[] derSignature) {
        if (!(privateKey instanceof ECPrivateKey ecKey)) {
            return derSignature;
        }
        var sequence = ASN1Sequence.getInstance(derSignature);
        var r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
        var s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
        BigInteger order = ecKey.getParams().getOrder();
        if (s.compareTo(order.shiftRight(1)) <= 0) {
            return derSignature;
        }
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(order.subtract(s))})
                    .getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Identity[" + mspId + "/" + name + ", " + certificate.getSubjectX500Principal().getName() + "]";
    }
}
