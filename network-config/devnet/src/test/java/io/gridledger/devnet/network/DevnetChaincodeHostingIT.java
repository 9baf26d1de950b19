package io.gridledger.devnet.network;

import io.gridledger.devnet.DevnetMain;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * devnet hosts whatever chaincodes-as-a-service its configuration names, each with its own endorsement policy and
 * state namespace: here the GridLedger jar twice, as {@code gridledger} (the channel's MAJORITY policy) and as
 * {@code solo}, whose definition lets Org1's peer alone endorse; each org runs its own server of each. Both are
 * named on the command line, on a channel named there too.
 */
class DevnetChaincodeHostingIT {

    static final String CHANNEL = "market";

    @TempDir
    static Path dataDir;
    static List<ChaincodeProcess> soloProcesses;
    static DevnetNetwork network;
    static Network channel;

    /**
     * The chaincodes and the channel come from the command line, as {@code devnet up} reads it: the GridLedger
     * definition file with the shared servers' addresses, a definition file of {@code solo} naming its servers, and
     * a channel other than network.sh's.
     */
    @BeforeAll
    static void start() throws Exception {
        soloProcesses = Transactions.ORGS.stream().map(org -> ChaincodeProcess.start("solo:1.0", org)).toList();
        var soloFile = Files.writeString(dataDir.resolve("solo.yaml"), "Name: solo\nVersion: \"1.0\"\n"
                + "EndorsementPolicy: OR('Org1MSP.peer')\n" + soloProcesses.stream()
                .map(p -> "Address." + p.mspId() + ": " + p.address() + "\n").collect(Collectors.joining()));
        var gridledgerServers = ChaincodeProcess.sharedAddresses(Transactions.ORGS).byOrg().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        var options = DevnetMain.parse(List.of("--channel", CHANNEL,
                "--chaincode", DevnetNetwork.FABRIC_DIR.resolve("chaincode/definition.yaml").toString(),
                "--chaincode-address", gridledgerServers,
                "--chaincode", soloFile.toString()));
        network = DevnetNetwork.start(dataDir, config -> config.withChannel(options.channel(), options.profile())
                .withChaincodes(options.chaincodes()));
        channel = network.connect("Org2MSP", "Admin").getNetwork(CHANNEL);
        Transactions.bootstrap(network, CHANNEL, "solo");
    }

    @Test
    void the_channel_is_the_one_configured_and_no_other() {
        assertThat(network.devnet().channelName()).isEqualTo(CHANNEL);
        var gridledgerChannel = network.connect("Org2MSP", "Admin").getNetwork(FabricNetwork.CHANNEL);
        assertThatThrownBy(() -> gridledgerChannel.getContract("solo").evaluateTransaction("GetParameters"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getStatus().getCode())
                        .isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
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
