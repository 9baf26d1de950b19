package io.gridledger.devnet.network;

import org.hyperledger.fabric.client.Contract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevnetGatewayIT {

    @TempDir
    static Path dataDir;
    static DevnetNetwork network;
    static Contract admin1;

    @BeforeAll
    static void start() throws Exception {
        network = DevnetNetwork.start(dataDir);
        admin1 = network.connect("Org1MSP", "Admin").getNetwork("gridledger").getContract("gridledger");
        admin1.submitTransaction("InitLedger", Transactions.params());
    }

    @AfterAll
    static void stop() {
        network.close();
    }

    @Test
    void evaluates_a_query_through_the_fabric_gateway_sdk() throws Exception {
        var result = new String(admin1.evaluateTransaction("GetParameters"), StandardCharsets.UTF_8);
        assertThat(result).contains("Org2MSP");
    }

    @Test
    void a_submitted_transaction_commits_valid_and_its_event_is_delivered() throws Exception {
        var gateway = network.connect("Org2MSP", "Admin");
        var fabric = gateway.getNetwork("gridledger");
        var contract = fabric.getContract("gridledger");
        long start = network.devnet().ledger().height();
        var provider = "Org2MSP/node1@org2.gridledger.example";
        var commit = contract.newProposal("Deposit").addArguments(provider, "5000").build().endorse().submitAsync();
        var status = commit.getStatus();
        assertThat(status.isSuccessful()).isTrue();
        assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
        try (var events = fabric.newChaincodeEventsRequest("gridledger").startBlock(start).build().getEvents()) {
            var event = events.next();
            assertThat(event.getTransactionId()).isEqualTo(commit.getTransactionId());
            assertThat(event.getEventName()).isEqualTo("Deposited");
            assertThat(event.getBlockNumber()).isEqualTo(status.getBlockNumber());
        }
    }

    @Test
    void chaincode_refusals_reach_the_client_with_their_code() {
        var client = network.connect("Org1MSP", "User1").getNetwork("gridledger").getContract("gridledger");
        assertThatThrownBy(() -> client.submitTransaction("Deposit", "Org1MSP/User1@org1.gridledger.example", "10"))
                .isInstanceOf(EndorseException.class)
                .hasMessageContaining("failed to endorse transaction")
                .satisfies(e -> assertThat(((EndorseException) e).getDetails().get(0).getMessage()).contains("FORBIDDEN"));
    }

    @Test
    void of_two_conflicting_transactions_in_one_block_one_is_valid_and_one_is_an_mvcc_read_conflict() throws Exception {
        var provider = network.connect("Org3MSP", "node1").getNetwork("gridledger").getContract("gridledger");
        var admin3 = network.connect("Org3MSP", "Admin").getNetwork("gridledger").getContract("gridledger");
        admin3.submitTransaction("Deposit", "Org3MSP/node1@org3.gridledger.example", "50000");
        provider.submitTransaction("PublishOffer", Transactions.offer("offer-mvcc", 10, 2));
        var first = provider.newProposal("UpdateOffer").addArguments(Transactions.offer("offer-mvcc", 11, 2)).build().endorse();
        var second = provider.newProposal("UpdateOffer").addArguments(Transactions.offer("offer-mvcc", 12, 2)).build().endorse();
        // Submitted together, within one batch timeout: both read the offer at the same version.
        var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> submit(second));
        var a = first.submitAsync();
        var b = pending.join();
        assertThat(a.getStatus().getBlockNumber()).isEqualTo(b.getStatus().getBlockNumber());
        assertThat(List.of(a.getStatus().getCode(), b.getStatus().getCode()))
                .containsExactlyInAnyOrder(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
    }

    private static org.hyperledger.fabric.client.SubmittedTransaction submit(org.hyperledger.fabric.client.Transaction tx) {
        try {
            return tx.submitAsync();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_proposal_signed_with_a_key_that_does_not_match_the_certificate_is_refused() throws Exception {
        var crypto = network.devnet().crypto();
        var certificate = Identities.readX509Certificate(Files.newBufferedReader(crypto.userCertificate("Org1MSP", "User1")));
        var otherKey = Identities.readPrivateKey(Files.newBufferedReader(crypto.userPrivateKey("Org2MSP", "User1")));
        var forged = network.connect("Org1MSP", new X509Identity("Org1MSP", certificate), Signers.newPrivateKeySigner(otherKey))
                .getNetwork("gridledger").getContract("gridledger");
        assertThatThrownBy(() -> forged.evaluateTransaction("WhoAmI"))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("error validating proposal: access denied: channel [gridledger] creator org [Org1MSP]");
    }

    @Test
    void an_identity_claiming_an_org_whose_ca_did_not_issue_it_is_refused() throws Exception {
        var crypto = network.devnet().crypto();
        var certificate = Identities.readX509Certificate(Files.newBufferedReader(crypto.userCertificate("Org2MSP", "User1")));
        var key = Identities.readPrivateKey(Files.newBufferedReader(crypto.userPrivateKey("Org2MSP", "User1")));
        var impostor = network.connect("Org1MSP", new X509Identity("Org1MSP", certificate), Signers.newPrivateKeySigner(key))
                .getNetwork("gridledger").getContract("gridledger");
        assertThatThrownBy(() -> impostor.evaluateTransaction("WhoAmI"))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("access denied: channel [gridledger] creator org [Org1MSP]");
        var stranger = network.connect("Org1MSP", new X509Identity("Org9MSP", certificate), Signers.newPrivateKeySigner(key))
                .getNetwork("gridledger").getContract("gridledger");
        assertThatThrownBy(() -> stranger.evaluateTransaction("WhoAmI"))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("access denied: channel [gridledger] creator org unknown, creator is malformed");
    }
}
