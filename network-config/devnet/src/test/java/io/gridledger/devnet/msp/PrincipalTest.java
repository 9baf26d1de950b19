package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.CombinedPrincipal;
import org.hyperledger.fabric.protos.common.MSPIdentityAnonymity;
import org.hyperledger.fabric.protos.common.MSPPrincipal.Classification;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.OrganizationUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gridledger.devnet.msp.TestCrypto.principal;
import static io.gridledger.devnet.msp.TestCrypto.role;
import static org.assertj.core.api.Assertions.assertThat;

class PrincipalTest {

    private static final CryptoMaterial material = TestCrypto.shared();
    private static final ChannelMsps channel = material.channelMsps();
    static MspIdentity peer;
    static MspIdentity admin;
    static MspIdentity client;
    static MspIdentity provider;
    static MspIdentity orderer;

    @BeforeAll
    static void generate() throws InvalidIdentityException {
        peer = identity(material.nodeIdentity("Org1MSP", "peer0"));
        admin = identity(material.userIdentity("Org1MSP", "Admin"));
        client = identity(material.userIdentity("Org1MSP", "User1"));
        provider = identity(material.userIdentity("Org1MSP", "node1"));
        orderer = identity(material.nodeIdentity("OrdererMSP", "orderer1"));
    }

    @Test
    void every_valid_identity_of_the_org_is_a_member() {
        for (var identity : List.of(peer, admin, client, provider)) {
            assertThat(identity.satisfies(role("Org1MSP", MSPRoleType.MEMBER))).as(identity.toString()).isTrue();
            assertThat(identity.satisfies(role("Org2MSP", MSPRoleType.MEMBER))).as(identity.toString()).isFalse();
        }
    }

    @Test
    void each_role_is_satisfied_only_by_its_node_ou() {
        assertThat(roles(peer)).containsExactly(MSPRoleType.MEMBER, MSPRoleType.PEER);
        assertThat(roles(admin)).containsExactly(MSPRoleType.MEMBER, MSPRoleType.ADMIN);
        assertThat(roles(client)).containsExactly(MSPRoleType.MEMBER, MSPRoleType.CLIENT);
        assertThat(roles(provider)).containsExactly(MSPRoleType.MEMBER, MSPRoleType.CLIENT);
        assertThat(orderer.satisfies(role("OrdererMSP", MSPRoleType.ORDERER))).isTrue();
        assertThat(orderer.satisfies(role("OrdererMSP", MSPRoleType.PEER))).isFalse();
        assertThat(peer.satisfies(role("OrdererMSP", MSPRoleType.PEER))).isFalse();
    }

    @Test
    void an_identity_listed_in_admincerts_is_an_admin_besides_its_node_ou() throws InvalidIdentityException {
        var msp = material.orgMsp("Org1MSP");
        var withAdmin = new OrgMsp(msp.mspId(), msp.rootCerts(), msp.intermediateCerts(),
                List.of(client.certificate()), msp.nodeOus(), msp.tlsRootCerts(), msp.tlsIntermediateCerts());
        var listed = new ChannelMsps(List.of(withAdmin)).deserialize(client.serialized());

        assertThat(listed.role()).isEqualTo(Identity.NodeRole.ADMIN);
        assertThat(listed.satisfies(role("Org1MSP", MSPRoleType.ADMIN))).isTrue();
        assertThat(listed.satisfies(role("Org1MSP", MSPRoleType.CLIENT))).isTrue();
    }

    @Test
    void an_identity_principal_matches_only_the_same_certificate() {
        var principal = principal(Classification.IDENTITY, client.serialized());

        assertThat(client.satisfies(principal)).isTrue();
        assertThat(provider.satisfies(principal)).isFalse();
        var otherMsp = LocalSigningIdentity.serialize("Org2MSP", client.certificate());
        assertThat(client.satisfies(principal(Classification.IDENTITY, otherMsp))).isFalse();
    }

    @Test
    void an_organization_unit_principal_needs_the_ou_and_the_certifiers_identifier() {
        var providers = principal(Classification.ORGANIZATION_UNIT, OrganizationUnit.newBuilder()
                .setMspIdentifier("Org1MSP").setOrganizationalUnitIdentifier("provider")
                .setCertifiersIdentifier(ByteString.copyFrom(provider.certifiersIdentifier())).build().toByteString());
        var withoutCertifiers = principal(Classification.ORGANIZATION_UNIT, OrganizationUnit.newBuilder()
                .setMspIdentifier("Org1MSP").setOrganizationalUnitIdentifier("provider").build().toByteString());

        assertThat(provider.satisfies(providers)).isTrue();
        assertThat(client.satisfies(providers)).isFalse();
        assertThat(provider.satisfies(withoutCertifiers)).isFalse();
        assertThat(provider.certifiersIdentifier()).isEqualTo(client.certifiersIdentifier());
    }

    @Test
    void a_combined_principal_needs_all_of_its_principals() {
        var memberAndPeer = combined(role("Org1MSP", MSPRoleType.MEMBER), role("Org1MSP", MSPRoleType.PEER));

        assertThat(peer.satisfies(memberAndPeer)).isTrue();
        assertThat(client.satisfies(memberAndPeer)).isFalse();
        assertThat(peer.satisfies(combined())).isFalse();
    }

    @Test
    void x509_identities_are_nominal_not_anonymous() {
        assertThat(client.satisfies(anonymity(MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL))).isTrue();
        assertThat(client.satisfies(anonymity(MSPIdentityAnonymity.MSPIdentityAnonymityType.ANONYMOUS))).isFalse();
    }

    @Test
    void a_malformed_principal_is_not_satisfied() {
        assertThat(client.satisfies(principal(Classification.ROLE, ByteString.copyFromUtf8("garbage")))).isFalse();
    }

    private static List<MSPRoleType> roles(MspIdentity identity) {
        return List.of(MSPRoleType.MEMBER, MSPRoleType.ADMIN, MSPRoleType.CLIENT, MSPRoleType.PEER, MSPRoleType.ORDERER)
                .stream().filter(role -> identity.satisfies(role(identity.mspId(), role))).toList();
    }

    private static org.hyperledger.fabric.protos.common.MSPPrincipal combined(
            org.hyperledger.fabric.protos.common.MSPPrincipal... principals) {
        return principal(Classification.COMBINED,
                CombinedPrincipal.newBuilder().addAllPrincipals(List.of(principals)).build().toByteString());
    }

    private static org.hyperledger.fabric.protos.common.MSPPrincipal anonymity(
            MSPIdentityAnonymity.MSPIdentityAnonymityType type) {
        return principal(Classification.ANONYMITY,
                MSPIdentityAnonymity.newBuilder().setAnonymityType(type).build().toByteString());
    }

    private static MspIdentity identity(LocalSigningIdentity signer) throws InvalidIdentityException {
        return (MspIdentity) channel.deserialize(signer.serialized());
    }
}
