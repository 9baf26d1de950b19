package io.gridledger.devnet.msp;

import io.gridledger.chaincode.ledger.Caller;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CryptoGeneratorTest {

    private static final CryptoMaterial material = TestCrypto.shared();
    private static final Path root = material.layout().root();

    @Test
    void writes_cryptogens_folder_layout_for_a_peer_org() {
        var org = root.resolve("organizations/peerOrganizations/org1.gridledger.example");
        assertThat(org.resolve("ca/ca.org1.gridledger.example-cert.pem")).isRegularFile();
        assertThat(org.resolve("ca/priv_sk")).isRegularFile();
        assertThat(org.resolve("tlsca/tlsca.org1.gridledger.example-cert.pem")).isRegularFile();
        assertThat(org.resolve("tlsca/priv_sk")).isRegularFile();
        assertThat(org.resolve("msp/cacerts/ca.org1.gridledger.example-cert.pem")).isRegularFile();
        assertThat(org.resolve("msp/tlscacerts/tlsca.org1.gridledger.example-cert.pem")).isRegularFile();
        assertThat(org.resolve("msp/config.yaml")).isRegularFile();

        var peer = org.resolve("peers/peer0.org1.gridledger.example");
        assertThat(peer.resolve("msp/cacerts/ca.org1.gridledger.example-cert.pem")).isRegularFile();
        assertThat(peer.resolve("msp/keystore/priv_sk")).isRegularFile();
        assertThat(peer.resolve("msp/signcerts/peer0.org1.gridledger.example-cert.pem")).isRegularFile();
        assertThat(peer.resolve("msp/tlscacerts/tlsca.org1.gridledger.example-cert.pem")).isRegularFile();
        assertThat(peer.resolve("msp/config.yaml")).isRegularFile();
        assertThat(peer.resolve("tls")).isDirectoryContaining(p -> p.endsWith("ca.crt"))
                .isDirectoryContaining(p -> p.endsWith("server.crt")).isDirectoryContaining(p -> p.endsWith("server.key"));

        for (var user : List.of("Admin", "User1", "node1")) {
            var dir = org.resolve("users/" + user + "@org1.gridledger.example");
            assertThat(dir.resolve("msp/signcerts/" + user + "@org1.gridledger.example-cert.pem")).isRegularFile();
            assertThat(dir.resolve("msp/keystore/priv_sk")).isRegularFile();
            assertThat(dir.resolve("msp/config.yaml")).isRegularFile();
            assertThat(dir.resolve("tls/ca.crt")).isRegularFile();
            assertThat(dir.resolve("tls/client.crt")).isRegularFile();
            assertThat(dir.resolve("tls/client.key")).isRegularFile();
        }
        assertThat(org.resolve("msp/admincerts")).doesNotExist();
    }

    @Test
    void writes_orderer_nodes_under_the_orderer_organization() {
        var org = root.resolve("organizations/ordererOrganizations/gridledger.example");
        for (var n = 1; n <= 3; n++) {
            var node = org.resolve("orderers/orderer" + n + ".gridledger.example");
            assertThat(node.resolve("msp/signcerts/orderer" + n + ".gridledger.example-cert.pem")).isRegularFile();
            assertThat(node.resolve("tls/server.crt")).isRegularFile();
        }
        assertThat(org.resolve("users/Admin@gridledger.example/msp/keystore/priv_sk")).isRegularFile();
        assertThat(org.resolve("msp/cacerts/ca.gridledger.example-cert.pem")).isRegularFile();
    }

    @Test
    void writes_node_ous_config_like_cryptogen() throws IOException {
        var config = Files.readString(root.resolve(
                "organizations/peerOrganizations/org2.gridledger.example/msp/config.yaml"));

        assertThat(config).isEqualTo("""
                NodeOUs:
                  Enable: true
                  ClientOUIdentifier:
                    Certificate: cacerts/ca.org2.gridledger.example-cert.pem
                    OrganizationalUnitIdentifier: client
                  PeerOUIdentifier:
                    Certificate: cacerts/ca.org2.gridledger.example-cert.pem
                    OrganizationalUnitIdentifier: peer
                  AdminOUIdentifier:
                    Certificate: cacerts/ca.org2.gridledger.example-cert.pem
                    OrganizationalUnitIdentifier: admin
                  OrdererOUIdentifier:
                    Certificate: cacerts/ca.org2.gridledger.example-cert.pem
                    OrganizationalUnitIdentifier: orderer
                """);
    }

    @Test
    void issues_a_self_signed_ca_with_cryptogens_subject_and_extensions() throws Exception {
        var ca = MspDirectory.readCertificate(material.layout().caCertFile(material.org("Org1MSP")));

        assertThat(ca.getSubjectX500Principal().getName())
                .isEqualTo("CN=ca.org1.gridledger.example,O=org1.gridledger.example,L=San Francisco,ST=California,C=US");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()).startsWith(true, false, true, false, false, true, true); // digitalSignature, keyEncipherment, keyCertSign, cRLSign
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(subjectKeyId(ca)).hasSize(32);
        assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()).toDays()).isEqualTo(3650);
        ca.verify(ca.getPublicKey());
    }

    @Test
    void issues_leaf_certificates_with_node_ou_common_name_and_authority_key_id() throws Exception {
        var ca = MspDirectory.readCertificate(material.layout().caCertFile(material.org("Org1MSP")));
        var expected = Map.of(
                "peers/peer0.org1.gridledger.example", "CN=peer0.org1.gridledger.example,OU=peer",
                "users/Admin@org1.gridledger.example", "CN=Admin@org1.gridledger.example,OU=admin",
                "users/User1@org1.gridledger.example", "CN=User1@org1.gridledger.example,OU=client");
        for (var entry : expected.entrySet()) {
            var dir = root.resolve("organizations/peerOrganizations/org1.gridledger.example").resolve(entry.getKey());
            var cert = MspDirectory.readCertificate(CryptoLayout.signCertFile(dir));
            assertThat(cert.getSubjectX500Principal().getName())
                    .isEqualTo(entry.getValue() + ",L=San Francisco,ST=California,C=US");
            assertThat(cert.getBasicConstraints()).isEqualTo(-1);
            assertThat(cert.getKeyUsage()[0]).isTrue();
            assertThat(authorityKeyId(cert)).isEqualTo(subjectKeyId(ca));
            cert.verify(ca.getPublicKey());
        }
    }

    @Test
    void issues_tls_certificates_from_the_tls_ca_with_host_names_and_loopback() throws Exception {
        var peer = material.nodeDir("Org1MSP", "peer0");
        var tls = MspDirectory.readCertificate(CryptoLayout.tlsCertFile(peer));
        var tlsCa = MspDirectory.readCertificate(material.tlsCaCertificate("Org1MSP"));

        tls.verify(tlsCa.getPublicKey());
        assertThat(tls.getSubjectX500Principal().getName()).startsWith("CN=peer0.org1.gridledger.example,L=");
        assertThat(tls.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(tls.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
                .containsExactly("peer0.org1.gridledger.example", "peer0", "localhost", "127.0.0.1");
        assertThat(Files.readString(CryptoLayout.tlsCaFile(peer))).isEqualTo(Files.readString(material.tlsCaCertificate("Org1MSP")));
    }

    @Test
    void issues_provider_nodes_client_certificates_with_ou_provider_and_the_role_attribute() {
        var cert = MspDirectory.readCertificate(material.userCertificate("Org2MSP", "node1"));

        assertThat(cert.getSubjectX500Principal().getName())
                .startsWith("CN=node1@org2.gridledger.example,OU=provider,OU=client,");
        var extension = cert.getExtensionValue("1.2.3.4.5.6.7.8.1");
        assertThat(extension).isNotNull();
        assertThat(new String(ASN1OctetString.getInstance(extension).getOctets(), StandardCharsets.UTF_8))
                .isEqualTo("{\"attrs\":{\"gridledger.role\":\"provider\"}}");
        assertThat(MspDirectory.readCertificate(material.userCertificate("Org2MSP", "User1"))
                .getExtensionValue("1.2.3.4.5.6.7.8.1")).isNull();
    }

    @Test
    void the_chaincode_reads_provider_nodes_as_providers_and_users_as_clients() throws Exception {
        assertThat(callerOf(material.userIdentity("Org1MSP", "node1")))
                .isEqualTo(new Caller("Org1MSP", "node1@org1.gridledger.example", Caller.Role.PROVIDER));
        assertThat(callerOf(material.userIdentity("Org1MSP", "User1")).role()).isEqualTo(Caller.Role.CLIENT);
        assertThat(callerOf(material.userIdentity("Org1MSP", "Admin")).role()).isEqualTo(Caller.Role.ADMIN);
    }

    /** What the chaincode's Caller makes of a transaction created by {@code creator}. */
    private static Caller callerOf(LocalSigningIdentity creator) throws Exception {
        var stub = (ChaincodeStub) Proxy.newProxyInstance(ChaincodeStub.class.getClassLoader(),
                new Class<?>[] {ChaincodeStub.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getCreator")) {
                        return creator.serialized().toByteArray();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return Caller.of(new ClientIdentity(stub));
    }

    @Test
    void writes_private_keys_as_pkcs8_pem() throws IOException {
        assertThat(Files.readString(material.userPrivateKey("Org3MSP", "Admin"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(CryptoLayout.tlsKeyFile(material.nodeDir("OrdererMSP", "orderer2"))))
                .startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(material.layout().caKeyFile(material.org("Org3MSP"))))
                .startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    }

    @Test
    void regeneration_reuses_every_existing_file_untouched(@TempDir Path dir) throws IOException {
        TestCrypto.generate(dir);
        var before = snapshot(dir);

        TestCrypto.generate(dir);

        assertThat(snapshot(dir)).isEqualTo(before);
    }

    @Test
    void regeneration_reissues_only_a_missing_identity_from_the_same_ca(@TempDir Path dir) throws Exception {
        var first = TestCrypto.generate(dir);
        var userDir = first.userDir("Org1MSP", "User1");
        var peerKey = Files.readString(CryptoLayout.privateKeyFile(first.nodeDir("Org1MSP", "peer0")));
        Files.delete(CryptoLayout.privateKeyFile(userDir));

        var second = TestCrypto.generate(dir);

        assertThat(CryptoLayout.privateKeyFile(userDir)).isRegularFile();
        assertThat(Files.readString(CryptoLayout.privateKeyFile(second.nodeDir("Org1MSP", "peer0")))).isEqualTo(peerKey);
        second.channelMsps().deserialize(second.userIdentity("Org1MSP", "User1").serialized());
    }

    @Test
    void adds_the_orgs_of_a_larger_network_without_touching_the_others(@TempDir Path dir) throws Exception {
        var three = TestCrypto.generate(dir);
        var org1Ca = Files.readString(three.layout().caCertFile(three.org("Org1MSP")));

        var five = CryptoGenerator.generate(TestCrypto.consortium().withPeerOrgs(5), dir);

        assertThat(Files.readString(five.layout().caCertFile(five.org("Org1MSP")))).isEqualTo(org1Ca);
        var org5Peer = five.nodeIdentity("Org5MSP", "peer0");
        assertThat(five.channelMsps().deserialize(org5Peer.serialized()).role()).isEqualTo(Identity.NodeRole.PEER);
    }

    private static byte[] subjectKeyId(X509Certificate cert) {
        return SubjectKeyIdentifier.getInstance(
                ASN1OctetString.getInstance(cert.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets())
                .getKeyIdentifier();
    }

    private static byte[] authorityKeyId(X509Certificate cert) {
        return AuthorityKeyIdentifier.getInstance(
                ASN1OctetString.getInstance(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets())
                .getKeyIdentifierOctets();
    }

    private static Map<String, String> snapshot(Path dir) throws IOException {
        var files = new TreeMap<String, String>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (var path : paths.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(path) + "@" + Files.getLastModifiedTime(path), Files.readString(path));
            }
        }
        return files;
    }
}
