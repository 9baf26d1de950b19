package io.gridledger.devnet.msp;

import java.io.ByteArrayOutputStream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.Arrays;
import java.util.Optional;
import java.security.interfaces.ECPrivateKey;
import java.util.concurrent.atomic.LongAdder;

/**
 * Strict DER reading and writing of ECDSA signatures ({@code SEQUENCE { INTEGER r, INTEGER s }}) and Fabric's
 * low-S rule: bccsp refuses a signature whose S exceeds half the curve order, because (r, n - s) is a second valid
 * signature over the same message and would let anyone change a transaction's signature bytes.
 */
public final class EcdsaSignatures {

    record RS(BigInteger r, BigInteger s) {
    }

    private static final ThreadLocal<Signature> ENGINE = ThreadLocal.withInitial(() -> {
        try {
            return Signature.getInstance("SHA256withECDSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA256withECDSA", e);
        }
    });

    /**
     * System property naming a registered JCA provider to verify with instead of BouncyCastle (e.g. {@code SunEC},
     * or a benchmark's counting provider). Read when a thread first verifies.
     */
    public static final String VERIFIER_PROPERTY = "gridledger.devnet.ecdsa.verifier";

    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    /*
     * Verification is devnet's largest CPU cost (7 per transaction); on JDK 17 BouncyCastle verifies P-256 3-5x
     * faster than SunEC (network-config/devnet/BENCHMARK.md). Same algorithm, same answers: devnet checks strict DER
     * and low S itself before either engine sees a signature.
     */
    private static final ThreadLocal<Signature> VERIFIER = ThreadLocal.withInitial(() -> {
        var name = System.getProperty(VERIFIER_PROPERTY);
        var provider = name == null ? BOUNCY_CASTLE : Security.getProvider(name);
        if (provider == null) {
            throw new IllegalStateException(VERIFIER_PROPERTY + " names no registered JCA provider: " + name);
        }
        try {
            return Signature.getInstance("SHA256withECDSA", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(provider.getName() + " has no SHA256withECDSA", e);
        }
    });

    private static final LongAdder SIGNED = new LongAdder();
    private static final LongAdder VERIFIED = new LongAdder();
    private static final LongAdder REMEMBERED = new LongAdder();

    /**
     * What this JVM's devnet identities did so far: signatures made, verifications computed, and verifications
     * answered by {@link VerifiedSignatures} (a signature already found valid, or made here) without computing.
     */
    public record Counts(long signed, long verified, long remembered) {
        public Counts minus(Counts earlier) {
            return new Counts(signed - earlier.signed, verified - earlier.verified, remembered - earlier.remembered);
        }
    }

    public static Counts counts() {
        return new Counts(SIGNED.sum(), VERIFIED.sum(), REMEMBERED.sum());
    }

    private EcdsaSignatures() {
    }

    /**
     * One signature as devnet's identities make it (P-256: lightweight BouncyCastle, RFC 6979 nonce, low S), nothing
     * remembered: what a computed signature costs, for the benchmark's rates.
     */
    public static byte[] signOnce(ECPrivateKey key, byte[] message) throws GeneralSecurityException {
        return computeSignature(key, message, EcdsaKey.sha256(message));
    }

    /** One verification as devnet computes it when it has not seen the signature: for the benchmark's rates. */
    public static boolean verifyOnce(EcdsaKeyHandle key, byte[] message, byte[] signature) {
        var rs = strictLowS(key.key, signature);
        return rs.isPresent() && key.key.computeVerify(message, EcdsaKey.sha256(message), signature, rs.get().r(), rs.get().s());
    }

    /** A public key prepared as devnet prepares a certificate's (for {@link #verifyOnce}). */
    public static final class EcdsaKeyHandle {
        private final EcdsaKey key;

        public EcdsaKeyHandle(java.security.interfaces.ECPublicKey publicKey) {
            this.key = EcdsaKey.of(publicKey);
        }
    }

    /** The provider {@link #VERIFIER_PROPERTY} names, or null for devnet's own (lightweight BouncyCastle). */
    static String verifierOverride() {
        return System.getProperty(VERIFIER_PROPERTY);
    }

    /**
     * Whether {@code signature} by {@code key} over {@code message} is valid as Fabric's bccsp judges it: strict DER,
     * low S, and the ECDSA equation — computed once per distinct signature ({@link VerifiedSignatures}).
     */
    static boolean verify(EcdsaKey key, byte[] message, byte[] signature) {
        var rs = strictLowS(key, signature);
        if (rs.isEmpty()) {
            return false;
        }
        var digest = EcdsaKey.sha256(message);
        var memo = key.memoKey(digest, signature);
        if (VerifiedSignatures.contains(memo)) {
            REMEMBERED.increment();
            return true;
        }
        VERIFIED.increment();
        boolean valid = key.computeVerify(message, digest, signature, rs.get().r(), rs.get().s());
        if (valid) {
            VerifiedSignatures.add(memo);
        }
        return valid;
    }

    /**
     * A low-S DER signature over {@code message}. When {@code key} is the public half of {@code privateKey}
     * ({@code ownKey}), it is remembered as valid under it, so that devnet's other nodes do not verify what this one
     * just signed.
     */
    static byte[] sign(ECPrivateKey privateKey, EcdsaKey key, boolean ownKey, byte[] message)
            throws GeneralSecurityException {
        var digest = EcdsaKey.sha256(message);
        var signature = computeSignature(privateKey, message, digest);
        SIGNED.increment();
        if (ownKey) {
            VerifiedSignatures.add(key.memoKey(digest, signature));
        }
        return signature;
    }

    /** The (r, s) of a strict-DER signature whose S is in the lower half of the key's curve order; empty otherwise. */
    private static Optional<RS> strictLowS(EcdsaKey key, byte[] signature) {
        return parse(signature).filter(rs -> isLowS(rs.s(), key.curveOrder()));
    }

    /** A low-S DER signature over {@code message} ({@code digest} its SHA-256): P-256 lightweight, else the JCA engine. */
    private static byte[] computeSignature(ECPrivateKey key, byte[] message, byte[] digest) throws GeneralSecurityException {
        var signature = EcdsaKey.signP256(key, digest);
        if (signature != null) {
            return signature;
        }
        var signer = engine();
        signer.initSign(key);
        signer.update(message);
        return toLowS(signer.sign(), key.getParams().getOrder());
    }

    /** This thread's SHA256withECDSA engine; {@link Signature} is not thread-safe and costly to look up per call. */
    static Signature engine() {
        return ENGINE.get();
    }

    /** This thread's SHA256withECDSA engine for verifying (see {@link #VERIFIER_PROPERTY}). */
    static Signature verifier() {
        return VERIFIER.get();
    }

    /** The (r, s) of a DER signature with minimal encodings, positive r and s, and no trailing bytes. */
    static Optional<RS> parse(byte[] der) {
        if (der == null || der.length < 8 || der[0] != 0x30) {
            return Optional.empty();
        }
        var reader = new Reader(der, 1);
        int length = reader.length();
        if (length < 0 || reader.position + length != der.length) {
            return Optional.empty();
        }
        var r = reader.positiveInteger();
        var s = r == null ? null : reader.positiveInteger();
        if (s == null || reader.position != der.length) {
            return Optional.empty();
        }
        return Optional.of(new RS(r, s));
    }

    static boolean isLowS(BigInteger s, BigInteger curveOrder) {
        return s.compareTo(curveOrder.shiftRight(1)) <= 0;
    }

    /** {@code der} with S replaced by {@code n - S} when S is in the upper half of the curve order. */
    static byte[] toLowS(byte[] der, BigInteger curveOrder) {
        var rs = parse(der).orElseThrow(() -> new IllegalStateException("the signature provider produced malformed DER"));
        return isLowS(rs.s(), curveOrder) ? der : encode(rs.r(), curveOrder.subtract(rs.s()));
    }

    static byte[] encode(BigInteger r, BigInteger s) {
        var body = new ByteArrayOutputStream();
        writeInteger(body, r);
        writeInteger(body, s);
        var out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeInteger(ByteArrayOutputStream out, BigInteger value) {
        var bytes = value.toByteArray();
        out.write(0x02);
        writeLength(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length >= 0x80) {
            out.write(0x81);
        }
        out.write(length);
    }

    private static final class Reader {
        private final byte[] der;
        private int position;

        Reader(byte[] der, int position) {
            this.der = der;
            this.position = position;
        }

        /** A definite DER length (short form, or one long-form byte ≥ 0x80), or -1. */
        int length() {
            if (position >= der.length) {
                return -1;
            }
            int first = der[position++] & 0xff;
            if (first < 0x80) {
                return first;
            }
            if (first != 0x81 || position >= der.length) {
                return -1;
            }
            int length = der[position++] & 0xff;
            return length < 0x80 ? -1 : length;
        }

        BigInteger positiveInteger() {
            if (position >= der.length || der[position++] != 0x02) {
                return null;
            }
            int length = length();
            if (length <= 0 || position + length > der.length) {
                return null;
            }
            var content = Arrays.copyOfRange(der, position, position + length);
            position += length;
            boolean negative = (content[0] & 0x80) != 0;
            boolean redundantZero = length > 1 && content[0] == 0 && (content[1] & 0x80) == 0;
            if (negative || redundantZero) {
                return null;
            }
            var value = new BigInteger(1, content);
            return value.signum() > 0 ? value : null;
        }
    }
}
