package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.msp.Identity.NodeRole;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelMspsTest {

    private static final byte[] MESSAGE = "a proposal's bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path foreignRoot;
    private static final CryptoMaterial material = TestCrypto.shared();
    private static final ChannelMsps channel = material.channelMsps();

    @Test
    void knows_every_org_of_the_config() {
        assertThat(channel.mspIds()).containsExactly("OrdererMSP", "Org1MSP", "Org2MSP", "Org3MSP");
    }

    @Test
    void deserializes_each_kind_of_identity_with_its_node_role() throws Exception {
        assertThat(roleOf(material.nodeIdentity("Org1MSP", "peer0"))).isEqualTo(NodeRole.PEER);
        assertThat(roleOf(material.userIdentity("Org1MSP", "Admin"))).isEqualTo(NodeRole.ADMIN);
        assertThat(roleOf(material.userIdentity("Org2MSP", "User1"))).isEqualTo(NodeRole.CLIENT);
        assertThat(roleOf(material.userIdentity("Org3MSP", "node1"))).isEqualTo(NodeRole.CLIENT);
        assertThat(roleOf(material.nodeIdentity("OrdererMSP", "orderer3"))).isEqualTo(NodeRole.ORDERER);
    }

    @Test
    void returns_the_cached_identity_for_the_same_bytes() throws Exception {
        var serialized = material.userIdentity("Org1MSP", "User1").serialized();

        var first = channel.deserialize(serialized);

        assertThat(channel.deserialize(ByteString.copyFrom(serialized.toByteArray()))).isSameAs(first);
        assertThat(first.serialized()).isEqualTo(serialized);
        assertThat(first.mspId()).isEqualTo("Org1MSP");
    }

    @Test
    void keeps_the_cache_bounded() throws Exception {
        var small = new ChannelMsps(List.of(material.orgMsp("Org1MSP")), 2);
        var ca = TestCrypto.caOf(material, "Org1MSP");
        for (int i = 0; i < 5; i++) {
            small.deserialize(TestCrypto.issued(ca, "Org1MSP", "user" + i, List.of("client")).serialized());
        }

        assertThat(small.cachedIdentities()).isEqualTo(2);
    }

    @Test
    void deserializes_concurrently() throws Exception {
        var fresh = material.channelMsps();
        var serialized = material.nodeIdentity("Org2MSP", "peer0").serialized();
        var pool = Executors.newFixedThreadPool(4);
        try {
            var results = pool.invokeAll(IntStream.range(0, 16)
                    .mapToObj(i -> (Callable<Identity>) () -> fresh.deserialize(serialized)).toList());
            for (var result : results) {
                assertThat(result.get().role()).isEqualTo(NodeRole.PEER);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(fresh.cachedIdentities()).isEqualTo(1);
    }

    @Nested
    class WhenTheGatewaySdkSigns {

        @Test
        void a_signature_by_the_sdks_signer_verifies() throws Exception {
            var cert = Identities.readX509Certificate(Files.newBufferedReader(material.userCertificate("Org1MSP", "User1")));
            var key = Identities.readPrivateKey(Files.newBufferedReader(material.userPrivateKey("Org1MSP", "User1")));
            var sdkIdentity = new X509Identity("Org1MSP", cert);
            var signer = Signers.newPrivateKeySigner(key);
            var serialized = SerializedIdentity.newBuilder()
                    .setMspid(sdkIdentity.getMspId())
                    .setIdBytes(ByteString.copyFrom(sdkIdentity.getCredentials()))
                    .build().toByteString();

            var identity = channel.deserialize(serialized);

            for (int i = 0; i < 20; i++) {
                var message = ("proposal " + i).getBytes(StandardCharsets.UTF_8);
                var signature = signer.sign(MessageDigest.getInstance("SHA-256").digest(message));
                assertThat(identity.verify(message, signature)).isTrue();
            }
            assertThat(identity.role()).isEqualTo(NodeRole.CLIENT);
        }

        @Test
        void the_sdk_loads_the_generated_peer_tls_and_admin_files() throws Exception {
            var admin = Identities.readX509Certificate(Files.newBufferedReader(material.userCertificate("Org2MSP", "Admin")));
            var tlsCa = Identities.readX509Certificate(Files.newBufferedReader(material.tlsCaCertificate("Org2MSP")));
            var peerTls = Identities.readX509Certificate(Files.newBufferedReader(
                    CryptoLayout.tlsCertFile(material.nodeDir("Org2MSP", "peer0"))));

            peerTls.verify(tlsCa.getPublicKey());
            assertThat(admin).isEqualTo(material.userIdentity("Org2MSP", "Admin").certificate());
        }
    }

    @Nested
    class WhenVerifyingSignatures {

        @Test
        void accepts_our_signers_low_s_signatures() throws Exception {
            var peer = material.nodeIdentity("Org1MSP", "peer0");
            var identity = channel.deserialize(peer.serialized());
            var order = ((ECPublicKey) peer.certificate().getPublicKey()).getParams().getOrder();

            for (int i = 0; i < 50; i++) {
                var signature = peer.sign(MESSAGE);
                var rs = EcdsaSignatures.parse(signature).orElseThrow();
                assertThat(EcdsaSignatures.isLowS(rs.s(), order)).isTrue();
                assertThat(identity.verify(MESSAGE, signature)).isTrue();
            }
        }

        @Test
        void rejects_a_signature_over_other_bytes() throws Exception {
            var user = material.userIdentity("Org1MSP", "User1");
            var identity = channel.deserialize(user.serialized());

            assertThat(identity.verify("tampered".getBytes(StandardCharsets.UTF_8), user.sign(MESSAGE))).isFalse();
        }

        @Test
        void rejects_a_signature_by_another_key() throws Exception {
            var identity = channel.deserialize(material.userIdentity("Org1MSP", "User1").serialized());
            var forged = material.userIdentity("Org1MSP", "Admin").sign(MESSAGE);

            assertThat(identity.verify(MESSAGE, forged)).isFalse();
        }

        @Test
        void rejects_the_high_s_twin_of_a_valid_signature() throws Exception {
            var user = material.userIdentity("Org2MSP", "User1");
            var identity = channel.deserialize(user.serialized());
            var low = EcdsaSignatures.parse(user.sign(MESSAGE)).orElseThrow();
            var order = ((ECPublicKey) user.certificate().getPublicKey()).getParams().getOrder();
            var high = EcdsaSignatures.encode(low.r(), order.subtract(low.s()));

            var jca = Signature.getInstance("SHA256withECDSA");
            jca.initVerify(user.certificate().getPublicKey());
            jca.update(MESSAGE);
            assertThat(jca.verify(high)).as("the high-S twin is mathematically valid").isTrue();
            assertThat(identity.verify(MESSAGE, high)).isFalse();
        }

        @Test
        void rejects_malformed_der() throws Exception {
            var user = material.userIdentity("Org1MSP", "User1");
            var identity = channel.deserialize(user.serialized());
            var signature = user.sign(MESSAGE);
            var trailing = java.util.Arrays.copyOf(signature, signature.length + 1);

            assertThat(identity.verify(MESSAGE, trailing)).isFalse();
            assertThat(identity.verify(MESSAGE, new byte[0])).isFalse();
            assertThat(identity.verify(MESSAGE, java.util.Arrays.copyOf(signature, signature.length - 1))).isFalse();
        }
    }

    @Nested
    class WhenTheIdentityIsNotValid {

        @Test
        void rejects_an_identity_of_an_unknown_msp() {
            var serialized = LocalSigningIdentity.serialize("Org9MSP", material.userIdentity("Org1MSP", "User1").certificate());

            assertThatThrownBy(() -> channel.deserialize(serialized))
                    .isInstanceOf(InvalidIdentityException.class).hasMessage("unknown MSP ID 'Org9MSP'");
        }

        @Test
        void rejects_an_identity_issued_by_a_foreign_ca() {
            // Same org names, same CA subject, different keys: a second, unrelated consortium.
            var foreign = TestCrypto.generate(foreignRoot).userIdentity("Org1MSP", "User1");

            assertThatThrownBy(() -> channel.deserialize(foreign.serialized()))
                    .isInstanceOf(InvalidIdentityException.class)
                    .hasMessage("certificate of 'CN=User1@org1.gridledger.example,OU=client,L=San Francisco,ST=California,C=US'"
                            + " was not issued by Org1MSP's CA");
        }

        @Test
        void rejects_an_identity_claiming_another_orgs_msp_id_as_unreadable_naming_no_org() {
            var org2User = material.userIdentity("Org2MSP", "User1").certificate();

            // Fabric cannot even deserialize it (no chain to Org1MSP's CA), so the refusal names no org.
            assertThatThrownBy(() -> channel.deserialize(LocalSigningIdentity.serialize("Org1MSP", org2User)))
                    .isInstanceOfSatisfying(InvalidIdentityException.class, e -> assertThat(e.mspId()).isEmpty())
                    .hasMessageEndingWith("was not issued by Org1MSP's CA");
        }

        @Test
        void rejects_an_identity_without_a_node_ou() {
            var noOu = TestCrypto.issued(TestCrypto.caOf(material, "Org1MSP"), "Org1MSP", "nobody", List.of("provider"));

            assertThatThrownBy(() -> channel.deserialize(noOu.serialized()))
                    .isInstanceOf(InvalidIdentityException.class)
                    .hasMessageContaining("must carry exactly one node OU of Org1MSP (client, peer, admin, orderer)")
                    .hasMessageContaining("carries none; its OUs: [provider]");
        }

        @Test
        void rejects_an_identity_with_two_node_ous() {
            var both = TestCrypto.issued(TestCrypto.caOf(material, "Org1MSP"), "Org1MSP", "both", List.of("client", "admin"));

            assertThatThrownBy(() -> channel.deserialize(both.serialized()))
                    .isInstanceOf(InvalidIdentityException.class).hasMessageContaining("carries 2");
        }

        @Test
        void rejects_the_ca_certificate_itself() {
            var ca = MspDirectory.readCertificate(material.layout().caCertFile(material.org("Org1MSP")));

            assertThatThrownBy(() -> channel.deserialize(LocalSigningIdentity.serialize("Org1MSP", ca)))
                    .isInstanceOf(InvalidIdentityException.class).hasMessageContaining("is a CA certificate");
        }

        @Test
        void rejects_bytes_that_are_not_a_serialized_identity() {
            assertThatThrownBy(() -> channel.deserialize(ByteString.copyFromUtf8("not protobuf")))
                    .isInstanceOf(InvalidIdentityException.class).hasMessageStartingWith("malformed serialized identity");
        }

        @Test
        void rejects_identity_bytes_that_are_not_pem() {
            var serialized = SerializedIdentity.newBuilder().setMspid("Org1MSP")
                    .setIdBytes(ByteString.copyFromUtf8("hello")).build().toByteString();

            assertThatThrownBy(() -> channel.deserialize(serialized))
                    .isInstanceOf(InvalidIdentityException.class)
                    .hasMessage("the identity bytes for Org1MSP are not a PEM certificate");
        }
    }

    private static NodeRole roleOf(LocalSigningIdentity signer) throws InvalidIdentityException {
        var identity = channel.deserialize(signer.serialized());
        assertThat(identity.verify(MESSAGE, signer.sign(MESSAGE))).isTrue();
        return identity.role();
    }
}
