package io.gridledger.devnet.network;

import io.gridledger.devnet.chaincode.ChaincodeAddresses;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.chaincode.ChaincodeExecutionException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each member org's peer reaches a chaincode through its own org's chaincode-as-a-service server, as in Fabric where
 * each org installs a package naming its own server: no org's server takes part in another org's endorsement. Two
 * chaincodes on one devnet: {@code probe}, one {@link RecordingChaincode} per org, which shows where each simulation
 * ran; and {@code gridledger}, the real jar, with Org3's server started for this test alone so that it can be
 * stopped.
 */
class DevnetChaincodePerOrgIT {

    private static final List<String> ORGS = List.of("Org1MSP", "Org2MSP", "Org3MSP");

    @TempDir
    static Path dataDir;
    static Map<String, RecordingChaincode> probes = new LinkedHashMap<>();
    static ChaincodeProcess org3Server;
    static DevnetNetwork network;

    @BeforeAll
    static void start() throws Exception {
        var probeServers = new LinkedHashMap<String, String>();
        for (var org : ORGS) {
            probes.put(org, new RecordingChaincode(org));
            probeServers.put(org, probes.get(org).address());
        }
        var probe = new ChaincodeDefinition("probe", "1.0", 1, "/Channel/Application/Endorsement",
                ChaincodeAddresses.byOrg(probeServers));
        org3Server = ChaincodeProcess.start("gridledger:1.0", "Org3MSP");
        var gridledger = DevnetNetwork.gridledger().withAddresses(ChaincodeProcess.addresses(List.of(
                ChaincodeProcess.shared("Org1MSP"), ChaincodeProcess.shared("Org2MSP"), org3Server)));
        network = DevnetNetwork.start(dataDir, config -> config.withChaincodes(List.of(gridledger, probe)));
        Transactions.bootstrap(network, FabricNetwork.CHAINCODE);
    }

    @AfterAll
    static void stop() {
        network.close();
        org3Server.stop();
        probes.values().forEach(RecordingChaincode::close);
    }

    @Test
    void each_org_s_peer_simulates_on_its_own_org_s_chaincode_server() throws Exception {
        for (var org : ORGS) {
            var proposal = contract(org, "User1", "probe").newProposal("Label").build();

            var servedBy = new String(proposal.evaluate(), StandardCharsets.UTF_8);

            assertThat(servedBy).as("the server that answered %s's peer", org).isEqualTo(org);
            for (var other : ORGS) {
                assertThat(probes.get(other).simulated(proposal.getTransactionId()))
                        .as("%s's server simulated the evaluation on %s's peer", other, org).isEqualTo(other.equals(org));
            }
        }
    }

    @Test
    void an_endorsement_by_two_orgs_runs_on_their_two_servers_and_not_on_the_third() throws Exception {
        var transaction = contract("Org1MSP", "User1", "probe").newProposal("Run")
                .setEndorsingOrganizations("Org2MSP", "Org3MSP").build().endorse();

        var status = transaction.submitAsync().getStatus();

        assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(probes.get("Org2MSP").simulated(transaction.getTransactionId())).isTrue();
        assertThat(probes.get("Org3MSP").simulated(transaction.getTransactionId())).isTrue();
        assertThat(probes.get("Org1MSP").simulated(transaction.getTransactionId())).isFalse();
    }

    @Test
    void an_org_whose_chaincode_server_is_stopped_cannot_endorse_while_the_other_orgs_still_do() throws Exception {
        var admin = gridledger("Org1MSP", "Admin");
        var account = Transactions.account("Org1MSP", "User1");
        assertThat(deposit(admin, account, "Org1MSP", "Org3MSP")).as("Org3 endorses while its server runs")
                .isEqualTo(TxValidationCode.VALID);

        org3Server.stop();

        assertThatThrownBy(() -> deposit(admin, account, "Org1MSP", "Org3MSP"))
                .isInstanceOfSatisfying(EndorseException.class, e -> assertThat(e.getDetails())
                        .singleElement().satisfies(detail -> {
                            assertThat(detail.getMspId()).isEqualTo("Org3MSP");
                            // Refused at once, or the stream to the killed server breaks under the invocation.
                            assertThat(detail.getMessage()).startsWith("error in simulation: ").containsAnyOf(
                                    "could not connect to chaincode gridledger", ChaincodeExecutionException.STREAM_TERMINATED);
                        }));
        assertThat(deposit(admin, account, "Org1MSP", "Org2MSP")).as("Org1 and Org2 still endorse")
                .isEqualTo(TxValidationCode.VALID);
        assertThatThrownBy(() -> admin.newProposal("GetAccount").addArguments(account)
                .setEndorsingOrganizations("Org3MSP").build().evaluate())
                .isInstanceOf(GatewayException.class).hasMessageContaining("failed to evaluate transaction");
    }

    private static TxValidationCode deposit(Contract admin, String account, String... endorsingOrgs) throws Exception {
        return admin.newProposal("Deposit").addArguments(account, "5").setEndorsingOrganizations(endorsingOrgs).build()
                .endorse().submitAsync().getStatus().getCode();
    }

    private static Contract gridledger(String mspId, String user) {
        return contract(mspId, user, FabricNetwork.CHAINCODE);
    }

    private static Contract contract(String mspId, String user, String chaincode) {
        return network.connect(mspId, user).getNetwork(FabricNetwork.CHANNEL).getContract(chaincode);
    }
}
