package io.gridledger.devnet.bench;

import io.gridledger.devnet.msp.EcdsaSignatures;

import org.hyperledger.fabric.client.identity.Signer;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the ECDSA signatures and verifications a run performs, so the benchmark reports what each transaction
 * costs in cryptography from calls made rather than from reading the code.
 *
 * <p>devnet signs and verifies P-256 with its own lightweight engine and counts that itself
 * ({@code EcdsaSignatures.counts()}: computed operations; verifications it remembered are not counted). Only when a JCA
 * verifier is asked for ({@code --verify-with bc|sunec}) does {@link #install} put a provider first in the JDK's list
 * and name it for devnet's verifications ({@link EcdsaSignatures#VERIFIER_PROPERTY}): its {@code SHA256withECDSA}
 * counts each {@code sign}/{@code verify} and hands signing to SunEC and verification to the given provider. The
 * Fabric Gateway SDK signs with BouncyCastle's {@code NONEwithECDSA} through its {@link Signer}, so client signatures
 * are counted by wrapping the signer ({@link #counting(Signer)}). The chaincode, in its own process, signs nothing.
 *
 * <pre>{@code
 * SignatureCounter.install(Security.getProvider("SunEC")); // or null for devnet's own engine; before devnet starts
 * var before = SignatureCounter.snapshot();
 * ...
 * var used = SignatureCounter.snapshot().minus(before);
 * }</pre>
 */
final class SignatureCounter {

    static final String ALGORITHM = "SHA256withECDSA";
    static final String JDK_PROVIDER = "SunEC";

    private static final LongAdder SIGNS = new LongAdder();
    private static final LongAdder VERIFIES = new LongAdder();
    private static final LongAdder CLIENT_SIGNS = new LongAdder();

    /** Signatures and verifications counted so far. */
    record Counts(long signs, long verifies, long clientSigns) {
        Counts minus(Counts earlier) {
            return new Counts(signs - earlier.signs, verifies - earlier.verifies, clientSigns - earlier.clientSigns);
        }
    }

    private SignatureCounter() {
    }

    /**
     * @param verifier the provider that computes verifications: SunEC (what devnet uses) or, to measure what another
     *                 provider would change, e.g. BouncyCastle
     */
    static synchronized void install(Provider verifier) {
        if (verifier == null) {
            return; // devnet's own engine: EcdsaSignatures counts what it computes
        }
        if (Security.getProvider(CountingProvider.NAME) == null) {
            Security.insertProviderAt(new CountingProvider(verifier), 1);
        }
        // devnet verifies with a provider it names (BouncyCastle unless told otherwise): tell it to use this one.
        System.setProperty(EcdsaSignatures.VERIFIER_PROPERTY, CountingProvider.NAME);
    }

    static Counts snapshot() {
        var devnet = EcdsaSignatures.counts();
        return new Counts(SIGNS.sum() + devnet.signed(), VERIFIES.sum() + devnet.verified(), CLIENT_SIGNS.sum());
    }

    /** {@code signer}, counting each signature it makes. */
    static Signer counting(Signer signer) {
        return digest -> {
            CLIENT_SIGNS.increment();
            return signer.sign(digest);
        };
    }

    private static final class CountingProvider extends Provider {
        static final String NAME = "GridLedgerBenchCounting";

        CountingProvider(Provider verifier) {
            super(NAME, "1.0", "counts " + ALGORITHM + " signatures and verifications, computed by " + JDK_PROVIDER
                    + " and " + verifier.getName());
            putService(new Service(this, "Signature", ALGORITHM, CountingSignature.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) {
                    return new CountingSignature(verifier);
                }
            });
        }
    }

    /** The JDK's own engine (the verifier's for verifications), with a count on each signature and verification. */
    private static final class CountingSignature extends SignatureSpi {
        private final Signature signer;
        private final Signature verifier;
        private Signature active;

        CountingSignature(Provider verifierProvider) {
            try {
                signer = Signature.getInstance(ALGORITHM, JDK_PROVIDER);
                verifier = Signature.getInstance(ALGORITHM, verifierProvider);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no " + ALGORITHM + " in " + JDK_PROVIDER + " or " + verifierProvider.getName(), e);
            }
            active = signer;
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            active = verifier;
            active.initVerify(publicKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            active = signer;
            active.initSign(privateKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey, SecureRandom random) throws InvalidKeyException {
            active = signer;
            active.initSign(privateKey, random);
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            active.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            active.update(b, off, len);
        }

        @Override
        protected void engineUpdate(ByteBuffer input) {
            try {
                active.update(input);
            } catch (SignatureException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            SIGNS.increment();
            return active.sign();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            VERIFIES.increment();
            return active.verify(sigBytes);
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("no parameters");
        }
    }
}
