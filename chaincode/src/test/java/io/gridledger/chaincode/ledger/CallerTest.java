package io.gridledger.chaincode.ledger;

import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.testing.Identity;
import io.gridledger.chaincode.testing.TestIdentities;
import io.gridledger.chaincode.testing.TestLedger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller's role as the chaincode reads it from real certificates: the project's own test CA (one RDN per OU) and
 * certificates in the exact shape Fabric CA 1.5 issues (all OUs in one multi-valued RDN, {@code OU=client+OU=provider}).
 */
class CallerTest {

    private static final String ORG1 = "Org1MSP";
    private static final TestIdentities IDS = TestIdentities.create(ORG1);

    private static Caller callerOf(Identity identity) throws Exception {
        return Caller.of(new ClientIdentity(new TestLedger().newStub(identity, "test")));
    }

    @Nested
    class WhenFabricCaIssuedTheCertificate {

        private final Identity provider = IDS.fabricCaEnrolled(ORG1, "node1@org1.gridledger.example", "client",
                "provider", Map.of());

        @Test
        void the_fixture_has_the_two_ous_in_one_multi_valued_rdn_and_no_role_attribute() throws Exception {
            var subject = X500Name.getInstance(provider.certificate().getSubjectX500Principal().getEncoded());
            var ouRdns = subject.getRDNs(BCStyle.OU);
            assertThat(ouRdns).hasSize(1);
            assertThat(ouRdns[0].isMultiValued()).isTrue();
            assertThat(Arrays.stream(ouRdns[0].getTypesAndValues()).map(tv -> tv.getValue().toString()))
                    .containsExactlyInAnyOrder("client", "provider");
            assertThat(provider.certificate().getSubjectX500Principal().getName())
                    .isIn("CN=node1@org1.gridledger.example,OU=client+OU=provider,O=Hyperledger,ST=North Carolina,C=US",
                            "CN=node1@org1.gridledger.example,OU=provider+OU=client,O=Hyperledger,ST=North Carolina,C=US");
            var identity = new ClientIdentity(new TestLedger().newStub(provider, "test"));
            assertThat(identity.getAttributeValue(Caller.ROLE_ATTRIBUTE)).isNull();
            assertThat(identity.getAttributeValue("hf.Affiliation")).isEqualTo("provider");
        }

        @Test
        void a_provider_node_is_a_provider_by_its_ou_alone() throws Exception {
            var caller = callerOf(provider);

            assertThat(caller.role()).isEqualTo(Role.PROVIDER);
            assertThat(caller.commonName()).isEqualTo("node1@org1.gridledger.example");
            assertThat(caller.accountId()).isEqualTo("Org1MSP/node1@org1.gridledger.example");
        }

        @ParameterizedTest(name = "type {1}, affiliation \"{2}\" -> {3}")
        @CsvSource({
                "User1@org1.gridledger.example, client, '', CLIENT",
                "carol@org1.gridledger.example, client, org1.department1, CLIENT",
                "Admin@org1.gridledger.example, admin, org1, ADMIN",
                "peer0.org1.gridledger.example, peer, org1, PEER"})
        void the_node_ou_gives_the_role_whatever_the_affiliation(String name, String type, String affiliation,
                                                                 Role expected) throws Exception {
            var identity = IDS.fabricCaEnrolled(ORG1, name, type, affiliation, Map.of());

            assertThat(callerOf(identity).role()).isEqualTo(expected);
        }

        @Test
        void the_role_attribute_still_wins_over_the_ous() throws Exception {
            var labelled = IDS.fabricCaEnrolled(ORG1, "node2@org1.gridledger.example", "client", "provider",
                    Map.of(Caller.ROLE_ATTRIBUTE, "provider"));
            var demoted = IDS.fabricCaEnrolled(ORG1, "node3@org1.gridledger.example", "client", "provider",
                    Map.of(Caller.ROLE_ATTRIBUTE, "client"));

            assertThat(callerOf(labelled).role()).isEqualTo(Role.PROVIDER);
            assertThat(callerOf(demoted).role()).isEqualTo(Role.CLIENT);
        }
    }

    /**
     * Certificates issued by a real Fabric CA 1.5.15 server ({@code network.sh up --ca}, CA {@code ca-org1}), in
     * {@code src/test/resources/fabric-ca-1.5.15}: {@code provider-no-attr} registered with
     * {@code --id.type client --id.affiliation provider} and no attribute, {@code provider-with-attr} as
     * {@code fabric-ca/enroll.sh} registers provider nodes (plus {@code gridledger.role=provider:ecert}), {@code client}
     * with no affiliation, {@code admin} as enroll.sh registers Admin. Only the certificates: the role is read from
     * the certificate alone, so the key that "signs" these test proposals is a throwaway one.
     */
    @Nested
    class WhenFabricCa1515IssuedTheCertificate {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "provider-no-attr, PROVIDER",
                "provider-with-attr, PROVIDER",
                "client, CLIENT",
                "admin, ADMIN"})
        void the_role_is_read_from_a_real_fabric_ca_certificate(String fixture, Role expected) throws Exception {
            var certificate = fabricCaCertificate(fixture);
            certificate.verify(fabricCaCertificate("ca-org1").getPublicKey());
            var identity = new Identity(ORG1, fixture, certificate, throwawayKey());

            assertThat(callerOf(identity).role()).isEqualTo(expected);
        }

        @Test
        void the_provider_without_the_attribute_has_its_ous_in_one_multi_valued_rdn() throws Exception {
            var certificate = fabricCaCertificate("provider-no-attr");
            var ouRdns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.OU);

            assertThat(ouRdns).hasSize(1);
            assertThat(ouRdns[0].isMultiValued()).isTrue();
            var identity = new Identity(ORG1, "provider-no-attr", certificate, throwawayKey());
            assertThat(new ClientIdentity(new TestLedger().newStub(identity, "test"))
                    .getAttributeValue(Caller.ROLE_ATTRIBUTE)).isNull();
            assertThat(callerOf(identity).commonName()).isEqualTo("provider-no-attr@org1.gridledger.example");
        }

        private static X509Certificate fabricCaCertificate(String name) throws Exception {
            try (var pem = CallerTest.class.getResourceAsStream("/fabric-ca-1.5.15/" + name + "-cert.pem")) {
                assertThat(pem).as("fixture %s", name).isNotNull();
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
            }
        }

        private static PrivateKey throwawayKey() throws Exception {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair().getPrivate();
        }
    }

    @Nested
    class WhenEachOuHasItsOwnRdn {

        @Test
        void a_client_is_a_client_and_an_admin_an_admin() throws Exception {
            assertThat(callerOf(IDS.client(ORG1, "alice")).role()).isEqualTo(Role.CLIENT);
            assertThat(callerOf(IDS.admin(ORG1, "root")).role()).isEqualTo(Role.ADMIN);
            assertThat(callerOf(IDS.peer(ORG1, "peer0")).role()).isEqualTo(Role.PEER);
        }

        @Test
        void a_provider_with_only_the_role_attribute_is_a_provider() throws Exception {
            assertThat(callerOf(IDS.provider(ORG1, "node-7")).role()).isEqualTo(Role.PROVIDER);
        }
    }
}
