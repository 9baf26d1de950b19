package io.gridledger.devnet.msp;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;

/**
 * One ECDSA public key as devnet signs and verifies with it, prepared once: for P-256 (every key cryptogen, Fabric CA
 * and devnet's own generator issue) BouncyCastle's lightweight ECDSA over its dedicated secp256r1 field arithmetic,
 * on a point object that keeps its window tables between verifications; for any other curve the JCA engines of
 * {@link EcdsaSignatures}. The same algorithm and answers either way (checked against the JDK's SunEC in
 * {@code EcdsaKeyTest}); what changes is the CPU (network-config/devnet/BENCHMARK.md).
 *
 * <p>Thread-safe: BouncyCastle guards a point's precomputation tables itself, and a signer is made per call.
 */
final class EcdsaKey {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters P256_DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

    private final ECPublicKey jcaKey;
    /** Null for a curve other than P-256. */
    private final ECPublicKeyParameters lightweight;
    /** The uncompressed point: what {@link VerifiedSignatures} remembers a signature under. */
    private final byte[] id;

    private EcdsaKey(ECPublicKey jcaKey) {
        this.jcaKey = jcaKey;
        var w = jcaKey.getW();
        var point = isP256(jcaKey.getParams()) ? p256Point(w.getAffineX(), w.getAffineY()) : null;
        this.lightweight = point == null ? null : new ECPublicKeyParameters(point, P256_DOMAIN);
        this.id = point == null ? jcaKey.getEncoded() : point.getEncoded(false);
    }

    /** The point on P-256, or null when it is not on the curve (the JCA engine then refuses its signatures). */
    private static org.bouncycastle.math.ec.ECPoint p256Point(BigInteger x, BigInteger y) {
        try {
            return P256_DOMAIN.getCurve().validatePoint(x, y);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static EcdsaKey of(ECPublicKey key) {
        return new EcdsaKey(key);
    }

    BigInteger curveOrder() {
        return jcaKey.getParams().getOrder();
    }

    ECPublicKey jcaKey() {
        return jcaKey;
    }

    /** Whether (r, s), strict DER {@code der} of a low-S signature, verifies over {@code digest}/{@code message}. */
    boolean computeVerify(byte[] message, byte[] digest, byte[] der, BigInteger r, BigInteger s) {
        if (lightweight != null && EcdsaSignatures.verifierOverride() == null) {
            var verifier = new ECDSASigner();
            verifier.init(false, lightweight);
            return verifier.verifySignature(digest, r, s);
        }
        try {
            var verifier = EcdsaSignatures.verifier();
            verifier.initVerify(jcaKey);
            verifier.update(message);
            return verifier.verify(der);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Whether {@code privateKey} is this key's private half (Q = d·G). Only then may a signature made with it be
     * remembered as valid under this key: an identity whose key does not match its certificate signs invalidly.
     */
    boolean isPublicHalfOf(ECPrivateKey privateKey) {
        if (lightweight == null || !isP256(privateKey.getParams())) {
            return false;
        }
        var q = P256_DOMAIN.getG().multiply(privateKey.getS()).normalize();
        return q.equals(lightweight.getQ());
    }

    ByteBuffer memoKey(byte[] digest, byte[] der) {
        return ByteBuffer.allocate(id.length + digest.length + der.length).put(id).put(digest).put(der).flip();
    }

    static byte[] sha256(byte[] message) {
        var digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        var out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    /**
     * A low-S DER signature over {@code digest} (SHA-256 of the message) by a P-256 private key, with RFC 6979's
     * deterministic nonce (no shared random source for signing threads to contend on); null for another curve.
     */
    static byte[] signP256(ECPrivateKey key, byte[] digest) {
        if (!isP256(key.getParams())) {
            return null;
        }
        var signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(key.getS(), P256_DOMAIN));
        var rs = signer.generateSignature(digest);
        var n = P256_DOMAIN.getN();
        var s = EcdsaSignatures.isLowS(rs[1], n) ? rs[1] : n.subtract(rs[1]);
        return EcdsaSignatures.encode(rs[0], s);
    }

    /** Whether the parameters are P-256's: prime, coefficients, generator, order and cofactor. */
    private static boolean isP256(ECParameterSpec params) {
        var g = params.getGenerator();
        var curve = params.getCurve();
        return curve.getField() instanceof ECFieldFp field
                && field.getP().equals(P256.getCurve().getField().getCharacteristic())
                && curve.getA().equals(P256.getCurve().getA().toBigInteger())
                && curve.getB().equals(P256.getCurve().getB().toBigInteger())
                && g.getAffineX().equals(P256.getG().getAffineXCoord().toBigInteger())
                && g.getAffineY().equals(P256.getG().getAffineYCoord().toBigInteger())
                && params.getOrder().equals(P256.getN()) && params.getCofactor() == 1;
    }
}
