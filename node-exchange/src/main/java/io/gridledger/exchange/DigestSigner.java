package io.gridledger.exchange;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Objects;

/**
 * Signs a SHA-256 digest and returns a DER ECDSA signature: the shape of the Fabric Gateway SDK's {@code Signer}
 * ({@code Signers.newPrivateKeySigner(key)::sign} is one), so an identity held in an HSM or a wallet signs exchange
 * requests the way it signs transactions.
 *
 * <pre>{@code
 * DigestSigner signer = DigestSigner.of(privateKey);                     // a key in memory
 * DigestSigner fabric = Signers.newPrivateKeySigner(privateKey)::sign;    // the Fabric Gateway SDK's signer
 * }</pre>
 */
@FunctionalInterface
public interface DigestSigner {

    /** The DER ECDSA signature of the 32-byte SHA-256 {@code digest}. High-S signatures are normalized by the caller. */
    byte[] sign(byte[] digest) throws GeneralSecurityException;

    /** Signs with an EC private key in memory ({@code NONEwithECDSA} over the digest: the JCA signs it as given). */
    static DigestSigner of(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        if (!"EC".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("node identities sign with ECDSA; this key is " + key.getAlgorithm());
        }
        return digest -> {
            var signature = Signature.getInstance("NONEwithECDSA");
            signature.initSign(key);
            signature.update(digest);
            return signature.sign();
        };
    }
}
