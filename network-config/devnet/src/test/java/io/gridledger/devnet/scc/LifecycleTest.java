package io.gridledger.devnet.scc;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.policy.SignaturePolicies;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gridledger.devnet.scc.SccFixtures.CHANNEL;
import static io.gridledger.devnet.scc.SccFixtures.ORGS;
import static io.gridledger.devnet.scc.SccFixtures.invocation;
import static io.gridledger.devnet.scc.SccFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

/** _lifecycle over two definitions, one with a channel policy reference and one with a signature policy. */
class LifecycleTest {

    private static final String SOLO_POLICY = "OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')";

    private final Lifecycle lifecycle = new Lifecycle(List.of(
            new ChaincodeDefinition("solo", "2.1", 3, SOLO_POLICY, "127.0.0.1:9998"),
            new ChaincodeDefinition("gridledger", "1.0", 1, "/Channel/Application/Endorsement", "127.0.0.1:9999")),
            ORGS, SccFixtures.policies(), SccFixtures.access("Org2MSP"));

    private Response ask(String function, ByteString args) {
        return lifecycle.invoke(invocation(CHANNEL, user("Org2MSP", "Admin"), ByteString.copyFromUtf8(function), args));
    }

    private Response definition(String name) {
        return ask("QueryChaincodeDefinition", QueryChaincodeDefinitionArgs.newBuilder().setName(name).build().toByteString());
    }

    @Test
    void answers_a_definition_with_its_policy_reference_fabric_s_plugins_and_every_member_s_approval() throws Exception {
        var response = definition("gridledger");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(QueryChaincodeDefinitionResult.parseFrom(response.getPayload())).isEqualTo(
                QueryChaincodeDefinitionResult.newBuilder().setSequence(1).setVersion("1.0")
                        .setEndorsementPlugin("escc").setValidationPlugin("vscc")
                        .setValidationParameter(ApplicationPolicy.newBuilder()
                                .setChannelConfigPolicyReference("/Channel/Application/Endorsement").build().toByteString())
                        .setInitRequired(false).setCollections(CollectionConfigPackage.getDefaultInstance())
                        .putAllApprovals(Map.of("Org1MSP", true, "Org2MSP", true, "Org3MSP", true)).build());
    }

    @Test
    void answers_a_signature_policy_as_the_envelope_the_policy_language_gives() throws Exception {
        var result = QueryChaincodeDefinitionResult.parseFrom(definition("solo").getPayload());

        assertThat(ApplicationPolicy.parseFrom(result.getValidationParameter()).getSignaturePolicy())
                .isEqualTo(SignaturePolicies.parse(SOLO_POLICY));
        assertThat(result.getSequence()).isEqualTo(3);
    }

    @Test
    void lists_every_definition_by_name() throws Exception {
        var response = ask("QueryChaincodeDefinitions", QueryChaincodeDefinitionsArgs.getDefaultInstance().toByteString());

        var definitions = QueryChaincodeDefinitionsResult.parseFrom(response.getPayload()).getChaincodeDefinitionsList();
        assertThat(definitions).extracting(QueryChaincodeDefinitionsResult.ChaincodeDefinition::getName)
                .containsExactly("gridledger", "solo");
        assertThat(definitions.get(1).getVersion()).isEqualTo("2.1");
    }

    @Test
    void answers_a_chaincode_it_does_not_define_with_404_as_fabric_does() {
        assertThat(definition("nope")).satisfies(response -> {
            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(response.getMessage()).isEqualTo("namespace nope is not defined");
        });
    }

    @Test
    void refuses_to_approve_a_definition_because_its_definitions_are_fixed() {
        var approve = ApproveChaincodeDefinitionForMyOrgArgs.newBuilder().setName("gridledger").setSequence(2).build();

        assertThat(ask("ApproveChaincodeDefinitionForMyOrg", approve.toByteString()).getMessage())
                .isEqualTo("failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg': "
                        + Lifecycle.READ_ONLY);
    }

    @Test
    void leaves_approving_to_admins_of_the_peer_s_org_and_queries_to_channel_writers_as_fabric_does() {
        var approveByOtherAdmin = lifecycle.invoke(invocation(CHANNEL, user("Org1MSP", "Admin"),
                ByteString.copyFromUtf8("ApproveChaincodeDefinitionForMyOrg"), ByteString.EMPTY));
        var queryByPeer = lifecycle.invoke(invocation(CHANNEL, SccFixtures.peer("Org2MSP"),
                ByteString.copyFromUtf8("QueryChaincodeDefinitions"), ByteString.EMPTY));

        assertThat(approveByOtherAdmin.getMessage()).isEqualTo("Failed to authorize invocation due to failed ACL check: "
                + "Failed deserializing proposal creator during channelless check policy with policy [Admins]: "
                + "[expected MSP ID Org2MSP, received Org1MSP]");
        assertThat(queryByPeer.getMessage()).isEqualTo("Failed to authorize invocation due to failed ACL check: "
                + "Failed evaluating policy on signed data during check policy on channel [gridledger] with policy "
                + "[/Channel/Application/Writers]: [implicit policy evaluation failed - 0 sub-policies were satisfied, "
                + "but this policy requires 1 of the 'Writers' sub-policies to be satisfied]");
    }

    @Test
    void answers_wrong_argument_counts_and_unknown_functions_in_fabric_s_words() {
        var admin = user("Org2MSP", "Admin");
        assertThat(lifecycle.invoke(invocation(CHANNEL, admin, new String[0])).getMessage())
                .isEqualTo("lifecycle scc must be invoked with arguments");
        assertThat(lifecycle.invoke(invocation(CHANNEL, admin, "QueryChaincodeDefinitions")).getMessage())
                .isEqualTo("lifecycle scc operations require exactly two arguments but received 1");
        assertThat(ask("Upgrade", ByteString.EMPTY).getMessage())
                .isEqualTo("Failed to authorize invocation due to failed ACL check: Unmapped policy for _lifecycle/Upgrade");
    }
}
