package io.gridledger.devnet.msp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CryptoConfigTest {

    @Test
    void reads_the_consortium_orgs_with_msp_ids_nodes_users_and_provider_nodes() {
        var config = TestCrypto.consortium();

        assertThat(config.ordererOrgs()).singleElement().satisfies(orderer -> {
            assertThat(orderer.mspId()).isEqualTo("OrdererMSP");
            assertThat(orderer.domain()).isEqualTo("gridledger.example");
            assertThat(orderer.nodes()).extracting(CryptoConfig.Node::commonName)
                    .containsExactly("orderer1.gridledger.example", "orderer2.gridledger.example",
                            "orderer3.gridledger.example");
            assertThat(orderer.providerNodes()).isEmpty();
        });
        assertThat(config.peerOrgs()).extracting(CryptoConfig.Org::mspId).containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
        var org1 = config.org("Org1MSP").orElseThrow();
        assertThat(org1.enableNodeOUs()).isTrue();
        assertThat(org1.nodes()).singleElement().satisfies(peer -> {
            assertThat(peer.hostname()).isEqualTo("peer0");
            assertThat(peer.commonName()).isEqualTo("peer0.org1.gridledger.example");
            assertThat(peer.sans()).containsExactly("peer0.org1.gridledger.example", "peer0", "localhost", "127.0.0.1");
        });
        assertThat(org1.userNames()).containsExactly("User1@org1.gridledger.example");
        assertThat(org1.providerNames()).containsExactly("node1@org1.gridledger.example");
    }

    @Test
    void expands_templates_with_start_hostname_pattern_and_explicit_common_names() {
        var config = CryptoConfig.parse("""
                PeerOrgs:
                  - Name: Acme
                    Domain: acme.test
                    Specs:
                      - Hostname: gateway
                        CommonName: gw.{{.Domain}}
                        SANS: [ "{{.Hostname}}.internal" ]
                    Template:
                      Count: 2
                      Start: 5
                      Hostname: node{{.Index}}
                """, "");

        var org = config.peerOrgs().get(0);
        assertThat(org.enableNodeOUs()).isFalse();
        assertThat(org.userCount()).isZero();
        assertThat(org.nodes()).extracting(CryptoConfig.Node::commonName)
                .containsExactly("gw.acme.test", "node5.acme.test", "node6.acme.test");
        assertThat(org.nodes().get(0).sans()).containsExactly("gw.acme.test", "gateway", "gateway.internal");
    }

    @Test
    void grows_the_peer_orgs_following_the_org_pattern() {
        var config = TestCrypto.consortium().withPeerOrgs(5);

        assertThat(config.peerOrgs()).extracting(CryptoConfig.Org::mspId)
                .containsExactly("Org1MSP", "Org2MSP", "Org3MSP", "Org4MSP", "Org5MSP");
        var org5 = config.peerOrgs().get(4);
        assertThat(org5.domain()).isEqualTo("org5.gridledger.example");
        assertThat(org5.enableNodeOUs()).isTrue();
        assertThat(org5.nodes()).extracting(CryptoConfig.Node::commonName).containsExactly("peer0.org5.gridledger.example");
        assertThat(org5.userNames()).containsExactly("User1@org5.gridledger.example");
        assertThat(org5.providerNames()).containsExactly("node1@org5.gridledger.example");
        assertThat(config.ordererOrgs()).isEqualTo(TestCrypto.consortium().ordererOrgs());
    }

    @Test
    void trims_the_peer_orgs_to_the_first_ones() {
        assertThat(TestCrypto.consortium().withPeerOrgs(2).peerOrgs()).extracting(CryptoConfig.Org::mspId)
                .containsExactly("Org1MSP", "Org2MSP");
        assertThatThrownBy(() -> TestCrypto.consortium().withPeerOrgs(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one peer org");
    }

    @Test
    void rejects_provider_nodes_of_an_org_that_is_not_a_peer_org() {
        assertThatThrownBy(() -> CryptoConfig.parse("PeerOrgs:\n  - Name: Org1\n    Domain: org1.test\n", "Org9:\n  - node1\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Org9'");
    }
}
