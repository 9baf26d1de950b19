package io.gridledger.chaincode.testing;

import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestIdentitiesTest {

    private static TestIdentities ids;

    @BeforeAll
    static void identities() {
        ids = TestIdentities.create("Org1MSP", "Org2MSP");
    }

    private static ClientIdentity clientIdentityOf(Identity identity) throws Exception {
        return new ClientIdentity(new TestLedger().newStub(identity, "test"));
    }

    @Test
    void the_shim_reads_the_msp_id_and_the_x509_id_of_a_client() throws Exception {
        var alice = ids.client("Org1MSP", "alice");

        var clientIdentity = clientIdentityOf(alice);

        assertThat(clientIdentity.getMSPID()).isEqualTo("Org1MSP");
        assertThat(clientIdentity.getId()).isEqualTo("x509::CN=alice, OU=client, O=Org1::CN=ca.org1, O=Org1");
        assertThat(alice.clientId()).isEqualTo(clientIdentity.getId());
        assertThat(clientIdentity.getX509Certificate()).isEqualTo(alice.certificate());
    }

    @Test
    void the_node_ou_is_in_the_subject_of_admins_and_peers() throws Exception {
        assertThat(clientIdentityOf(ids.admin("Org2MSP", "root")).getId())
                .isEqualTo("x509::CN=root, OU=admin, O=Org2::CN=ca.org2, O=Org2");
        assertThat(clientIdentityOf(ids.peer("Org2MSP", "peer0")).getId())
                .startsWith("x509::CN=peer0, OU=peer, O=Org2::");
    }

    @Test
    void the_shim_reads_the_provider_role_attribute() throws Exception {
        var provider = clientIdentityOf(ids.provider("Org2MSP", "node-7"));

        assertThat(provider.getAttributeValue(TestIdentities.ROLE_ATTRIBUTE)).isEqualTo("provider");
        assertThat(provider.assertAttributeValue("gridledger.role", "provider")).isTrue();
        assertThat(provider.getId()).startsWith("x509::CN=node-7, OU=client, O=Org2::");
    }

    @Test
    void a_plain_client_has_no_role_attribute_but_the_fabric_ca_defaults() throws Exception {
        var client = clientIdentityOf(ids.client("Org1MSP", "carol"));

        assertThat(client.getAttributeValue(TestIdentities.ROLE_ATTRIBUTE)).isNull();
        assertThat(client.getAttributeValue("hf.EnrollmentID")).isEqualTo("carol");
        assertThat(client.getAttributeValue("hf.Type")).isEqualTo("client");
        assertThat(client.getAttributeValue("hf.Affiliation")).isEmpty();
    }

    @Test
    void arbitrary_attributes_and_ous_can_be_issued() throws Exception {
        var custom = ids.withAttributes("Org1MSP", "auditor", "client",
                Map.of("gridledger.role", "admin", "dept", "risk \"ops\""));

        var clientIdentity = clientIdentityOf(custom);

        assertThat(clientIdentity.getAttributeValue("gridledger.role")).isEqualTo("admin");
        assertThat(clientIdentity.getAttributeValue("dept")).isEqualTo("risk \"ops\"");
    }

    @Test
    void a_certificate_verifies_against_its_org_ca_and_not_another_orgs() throws Exception {
        var alice = ids.client("Org1MSP", "alice");

        assertThatCode(() -> alice.certificate().verify(ids.caCertificate("Org1MSP").getPublicKey()))
                .doesNotThrowAnyException();
        assertThat(alice.certificate().getIssuerX500Principal())
                .isEqualTo(ids.caCertificate("Org1MSP").getSubjectX500Principal());
        assertThatThrownBy(() -> alice.certificate().verify(ids.caCertificate("Org2MSP").getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void org_cas_are_self_signed_certificate_authorities() throws Exception {
        var ca = ids.caCertificate("Org2MSP");

        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ids.client("Org2MSP", "dave").certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void the_serialized_identity_is_the_msp_id_and_the_pem_certificate() throws Exception {
        var bob = ids.client("Org2MSP", "bob");

        var serialized = SerializedIdentity.parseFrom(bob.serialized());
        var pem = serialized.getIdBytes().toStringUtf8();
        var parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(serialized.getIdBytes().toByteArray()));

        assertThat(serialized.getMspid()).isEqualTo("Org2MSP");
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(parsed).isEqualTo(bob.certificate());
    }

    @Test
    void asking_twice_returns_the_same_identity_and_roles_get_distinct_certificates() {
        assertThat(ids.client("Org1MSP", "erin")).isSameAs(ids.client("Org1MSP", "erin"));
        assertThat(ids.provider("Org1MSP", "erin").certificate())
                .isNotEqualTo(ids.client("Org1MSP", "erin").certificate());
    }

    @Test
    void an_unknown_msp_is_rejected() {
        assertThatThrownBy(() -> ids.client("Org9MSP", "mallory"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Org9MSP");
    }
}
