package io.gridledger.devnet.msp;

import io.gridledger.devnet.msp.Identity.NodeRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MspDirectoryTest {

    private static final CryptoMaterial material = TestCrypto.shared();

    @Test
    void reads_an_org_msp_with_its_ca_tls_ca_and_node_ous() {
        var msp = MspDirectory.orgMsp(material.layout().orgMspDir(material.org("Org2MSP")), "Org2MSP");
        var ca = MspDirectory.readCertificate(material.layout().caCertFile(material.org("Org2MSP")));

        assertThat(msp.mspId()).isEqualTo("Org2MSP");
        assertThat(msp.rootCerts()).containsExactly(ca);
        assertThat(msp.tlsRootCerts()).containsExactly(MspDirectory.readCertificate(material.tlsCaCertificate("Org2MSP")));
        assertThat(msp.intermediateCerts()).isEmpty();
        assertThat(msp.adminCerts()).isEmpty();
        assertThat(msp.nodeOus()).isEqualTo(NodeOus.cryptogen(ca));
        assertThat(msp.nodeOus().identifier(NodeRole.ORDERER).orElseThrow().organizationalUnit()).isEqualTo("orderer");
    }

    @Test
    void reads_a_signing_identity_whose_serialized_form_carries_the_pem_certificate() throws Exception {
        var peer = MspDirectory.signingIdentity(
                CryptoLayout.mspDir(material.nodeDir("Org3MSP", "peer0")), "Org3MSP");
        var parsed = org.hyperledger.fabric.protos.msp.SerializedIdentity.parseFrom(peer.serialized());

        assertThat(peer.mspId()).isEqualTo("Org3MSP");
        assertThat(parsed.getMspid()).isEqualTo("Org3MSP");
        assertThat(parsed.getIdBytes().toStringUtf8()).isEqualTo(Files.readString(
                CryptoLayout.signCertFile(material.nodeDir("Org3MSP", "peer0"))));
    }

    @Test
    void picks_the_key_that_matches_the_certificate_among_several(@TempDir Path dir) throws Exception {
        var source = CryptoLayout.mspDir(material.userDir("Org1MSP", "User1"));
        Files.createDirectories(dir.resolve("signcerts"));
        Files.createDirectories(dir.resolve("keystore"));
        Files.copy(source.resolve("signcerts/User1@org1.gridledger.example-cert.pem"), dir.resolve("signcerts/cert.pem"));
        Files.copy(material.userPrivateKey("Org1MSP", "Admin"), dir.resolve("keystore/a_sk"));
        Files.copy(source.resolve("keystore/priv_sk"), dir.resolve("keystore/b_sk"));

        var user = MspDirectory.signingIdentity(dir, "Org1MSP");

        assertThat(material.channelMsps().deserialize(user.serialized()).verify(new byte[] {7}, user.sign(new byte[] {7})))
                .isTrue();
    }

    @Test
    void names_the_folder_when_the_msp_has_no_ca(@TempDir Path dir) {
        assertThatThrownBy(() -> MspDirectory.orgMsp(dir, "Org1MSP"))
                .isInstanceOf(CryptoMaterialException.class).hasMessageContaining(dir.resolve("cacerts").toString());
    }

    @Test
    void round_trips_through_the_channel_configs_fabric_msp_config() throws Exception {
        var msp = material.orgMsp("Org1MSP");

        var config = msp.toFabricMspConfig();
        var back = OrgMsp.fromFabricMspConfig(config);

        assertThat(config.getName()).isEqualTo("Org1MSP");
        assertThat(config.getRootCerts(0).toStringUtf8()).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(config.getFabricNodeOus().getPeerOuIdentifier().getOrganizationalUnitIdentifier()).isEqualTo("peer");
        assertThat(config.getCryptoConfig().getSignatureHashFamily()).isEqualTo("SHA2");
        assertThat(back).isEqualTo(msp);
    }
}
