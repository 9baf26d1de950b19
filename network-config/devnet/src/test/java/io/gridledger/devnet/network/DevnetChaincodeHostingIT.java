package io.gridledger.devnet.network;

import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * devnet hosts whatever chaincodes-as-a-service its configuration names, each with its own endorsement policy and
 * state namespace: here the GridLedger jar twice, as {@code gridledger} (the channel's MAJORITY policy) and as
 * {@code solo}, whose definition lets Org1's peer alone endorse; each org runs its own server of each.
 */
class DevnetChaincodeHostingIT {

    @TempDir
    static Path dataDir;
    static List<ChaincodeProcess> soloProcesses;
    static DevnetNetwork network;
    static Network channel;

    @BeforeAll
    static void start() throws Exception {
        soloProcesses = Transactions.ORGS.stream().map(org -> ChaincodeProcess.start("solo:1.0", org)).toList();
        var solo = new ChaincodeDefinition("solo", "1.0", 1, "OR('Org1MSP.peer')", ChaincodeProcess.addresses(soloProcesses));
        network = DevnetNetwork.start(dataDir, config -> config.withChaincodes(List.of(DevnetNetwork.gridledger(), solo)));
        channel = network.connect("Org2MSP", "Admin").getNetwork(FabricNetwork.CHANNEL);
        Transactions.bootstrap(network, "solo");
    }

    @AfterAll
    static void stop() {
        network.close();
        soloProcesses.forEach(ChaincodeProcess::stop);
    }

    @Test
    void each_chaincode_keeps_its_own_state() throws Exception {
        var account = Transactions.account("Org2MSP", "User1");
        channel.getContract("solo").submitTransaction("Deposit", account, "77");

        var solo = new String(channel.getContract("solo").evaluateTransaction("GetAccount", account), StandardCharsets.UTF_8);
        assertThat(solo).contains("\"balance\":77");
        var gridledger = channel.getContract("gridledger");
        assertThat(new String(gridledger.evaluateTransaction("GetAccount", account), StandardCharsets.UTF_8))
                .contains("\"balance\":0");
    }

    @Test
    void a_chaincode_s_own_policy_decides_who_must_endorse() throws Exception {
        var contract = channel.getContract("solo");
        var account = Transactions.account("Org2MSP", "node1");

        var planned = contract.newProposal("Deposit").addArguments(account, "1").build().endorse().submitAsync().getStatus();
        var byOrg2 = contract.newProposal("Deposit").addArguments(account, "1").setEndorsingOrganizations("Org2MSP")
                .build().endorse().submitAsync().getStatus();
        var byOrg1 = contract.newProposal("Deposit").addArguments(account, "1").setEndorsingOrganizations("Org1MSP")
                .build().endorse().submitAsync().getStatus();

        assertThat(planned.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(CommittedTransactions.endorsingOrgs(channel, planned)).contains("Org1MSP");
        assertThat(byOrg2.getCode()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(byOrg1.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(CommittedTransactions.endorsingOrgs(channel, byOrg1)).containsExactly("Org1MSP");
    }
}
