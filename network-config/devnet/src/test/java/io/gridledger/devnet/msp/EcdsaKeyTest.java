package io.gridledger.devnet.msp;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EcdsaKeyTest {

    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private static KeyPair keyPair(String curve) throws Exception {
        var generator = KeyPairGenerator.getInstance("EC", "SunEC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static boolean sunEcVerifies(KeyPair pair, byte[] message, byte[] signature) throws Exception {
        var verifier = Signature.getInstance("SHA256withECDSA", "SunEC");
        verifier.initVerify(pair.getPublic());
        verifier.update(message);
        return verifier.verify(signature);
    }

    private static byte[] sunEcSignature(KeyPair pair, byte[] message) throws Exception {
        var signer = Signature.getInstance("SHA256withECDSA", "SunEC");
        signer.initSign(pair.getPrivate());
        signer.update(message);
        return EcdsaSignatures.toLowS(signer.sign(), P256_ORDER);
    }

    @Test
    void devnets_p256_signatures_are_low_s_and_verified_by_the_jdks_own_engine() throws Exception {
        var pair = keyPair("secp256r1");
        var key = EcdsaKey.of((ECPublicKey) pair.getPublic());
        var random = new Random(7);
        for (int i = 0; i < 50; i++) {
            var message = new byte[random.nextInt(2_000)];
            random.nextBytes(message);
            var signature = EcdsaSignatures.sign((ECPrivateKey) pair.getPrivate(), key, true, message);
            assertThat(EcdsaSignatures.isLowS(EcdsaSignatures.parse(signature).orElseThrow().s(), P256_ORDER)).isTrue();
            assertThat(sunEcVerifies(pair, message, signature)).isTrue();
        }
    }

    @Test
    void devnets_verification_agrees_with_the_jdk_on_valid_and_tampered_signatures() throws Exception {
        var pair = keyPair("secp256r1");
        var other = keyPair("secp256r1");
        var key = EcdsaKey.of((ECPublicKey) pair.getPublic());
        var random = new Random(11);
        for (int i = 0; i < 40; i++) {
            var message = new byte[1 + random.nextInt(500)];
            random.nextBytes(message);
            var signature = sunEcSignature(pair, message); // made outside devnet: nothing remembered
            assertThat(EcdsaSignatures.verify(key, message, signature)).isTrue();

            var changedMessage = message.clone();
            changedMessage[random.nextInt(changedMessage.length)] ^= 1;
            assertThat(EcdsaSignatures.verify(key, changedMessage, signature))
                    .isEqualTo(sunEcVerifies(pair, changedMessage, signature)).isFalse();

            var byOther = sunEcSignature(other, message);
            assertThat(EcdsaSignatures.verify(key, message, byOther)).isFalse();

            var rs = EcdsaSignatures.parse(signature).orElseThrow();
            var changedR = EcdsaSignatures.encode(rs.r().add(BigInteger.ONE), rs.s());
            assertThat(EcdsaSignatures.verify(key, message, changedR)).isFalse();
        }
    }

    @Test
    void a_remembered_signature_proves_nothing_about_another_message_or_its_high_s_twin() throws Exception {
        var pair = keyPair("secp256r1");
        var key = EcdsaKey.of((ECPublicKey) pair.getPublic());
        var message = "proposal".getBytes(StandardCharsets.UTF_8);
        var signature = EcdsaSignatures.sign((ECPrivateKey) pair.getPrivate(), key, true, message);
        var before = EcdsaSignatures.counts();

        assertThat(EcdsaSignatures.verify(key, message, signature)).isTrue();
        assertThat(EcdsaSignatures.counts().minus(before).remembered()).isEqualTo(1);
        assertThat(EcdsaSignatures.verify(key, "proposal!".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        var rs = EcdsaSignatures.parse(signature).orElseThrow();
        var highS = EcdsaSignatures.encode(rs.r(), P256_ORDER.subtract(rs.s()));
        assertThat(EcdsaSignatures.verify(key, message, highS)).isFalse();
        var otherKey = EcdsaKey.of((ECPublicKey) keyPair("secp256r1").getPublic());
        assertThat(EcdsaSignatures.verify(otherKey, message, signature)).isFalse();
    }

    @Test
    void a_signature_by_a_key_that_is_not_the_certificates_is_never_taken_for_valid() throws Exception {
        var certified = keyPair("secp256r1");
        var impostor = keyPair("secp256r1");
        var key = EcdsaKey.of((ECPublicKey) certified.getPublic());
        assertThat(key.isPublicHalfOf((ECPrivateKey) impostor.getPrivate())).isFalse();
        assertThat(key.isPublicHalfOf((ECPrivateKey) certified.getPrivate())).isTrue();

        var message = "envelope".getBytes(StandardCharsets.UTF_8);
        var signature = EcdsaSignatures.sign((ECPrivateKey) impostor.getPrivate(), key, false, message);
        assertThat(EcdsaSignatures.verify(key, message, signature)).isFalse();
    }

    @Test
    void keys_on_other_curves_sign_and_verify_through_the_jdk() throws Exception {
        var pair = keyPair("secp384r1");
        var key = EcdsaKey.of((ECPublicKey) pair.getPublic());
        var message = "p-384".getBytes(StandardCharsets.UTF_8);
        assertThat(key.isPublicHalfOf((ECPrivateKey) pair.getPrivate())).isFalse();
        var signature = EcdsaSignatures.sign((ECPrivateKey) pair.getPrivate(), key, false, message);
        assertThat(sunEcVerifies(pair, message, signature)).isTrue();
        assertThat(EcdsaSignatures.verify(key, message, signature)).isTrue();
        assertThat(EcdsaSignatures.verify(key, "other".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
    }
}
