package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.msp.SigningIdentity;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;

/** A real P-256 signing identity (self-signed certificate, low-S signatures) standing in for devnet's MSP in tests. */
final class TestSigner implements SigningIdentity {

    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private final String mspId;
    private final KeyPair keys;
    private final ByteString serialized;

    private TestSigner(String mspId, KeyPair keys, X509Certificate certificate) throws GeneralSecurityException {
        this.mspId = mspId;
        this.keys = keys;
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        this.serialized = SerializedIdentity.newBuilder()
                .setMspid(mspId)
                .setIdBytes(ByteString.copyFrom(pem, StandardCharsets.UTF_8))
                .build()
                .toByteString();
    }

    static TestSigner create(String mspId, String commonName) {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            var name = new X500Name("CN=" + commonName + ",O=" + mspId);
            var now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(365, ChronoUnit.DAYS)), name, keys.getPublic());
            var certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new TestSigner(mspId, keys, certificate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TestSigner orderer() {
        return create("OrdererMSP", "orderer0.gridledger.test");
    }

    @Override
    public String mspId() {
        return mspId;
    }

    @Override
    public ByteString serialized() {
        return serialized;
    }

    @Override
    public byte[] sign(byte[] message) {
        try {
            var signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(message);
            return toLowS(signer.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Verifies {@code signature} with the certificate inside {@code creator} (a serialized identity), as an MSP would. */
    static boolean verify(ByteString creator, byte[] message, byte[] signature) {
        try {
            var identity = SerializedIdentity.parseFrom(creator);
            var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(identity.getIdBytes().toByteArray()));
            var verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (InvalidProtocolBufferException | GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] toLowS(byte[] der) throws IOException {
        var sequence = ASN1Sequence.getInstance(der);
        BigInteger r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
        BigInteger s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
        if (s.compareTo(P256_ORDER.shiftRight(1)) <= 0) {
            return der;
        }
        return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(P256_ORDER.subtract(s))}).getEncoded();
    }
}
