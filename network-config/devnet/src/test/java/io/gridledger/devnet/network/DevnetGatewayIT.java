package io.gridledger.devnet.network;

import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.msp.CryptoLayout;
import io.grpc.Status;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link GatewayContract} against a devnet of three orgs in this JVM, with the chaincode jar in its own process;
 * peers serve TLS, as on a real network.
 */
class DevnetGatewayIT extends GatewayContract {

    @TempDir
    static Path dataDir;

    @Override
    protected FabricNetwork startNetwork() {
        return DevnetNetwork.start(dataDir, config -> config.withTls(true));
    }

    private DevnetNetwork devnet() {
        return (DevnetNetwork) network;
    }

    // --- devnet's own: what these check needs a hook inside the network ---------------------------------

    @Test
    void a_peer_identity_may_read_the_ledger_but_not_propose_to_a_chaincode() throws Exception {
        var peerDir = devnet().devnet().crypto().nodeDir(ORG1, "peer0");
        var channel = devnet().connect(ORG1, FabricNetwork.identity(ORG1, CryptoLayout.signCertFile(peerDir)),
                FabricNetwork.signer(CryptoLayout.privateKeyFile(peerDir))).getNetwork(FabricNetwork.CHANNEL);

        assertThatThrownBy(() -> channel.getContract(FabricNetwork.CHAINCODE).evaluateTransaction("GetParameters"))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("Failed evaluating policy on signed data during check policy on channel [gridledger] "
                        + "with policy [/Channel/Application/Writers]");
        assertThat(channel.getContract("qscc").evaluateTransaction("GetChainInfo", FabricNetwork.CHANNEL)).isNotEmpty();
    }

    @Test
    void a_commit_status_request_that_gave_up_does_not_keep_later_ones_from_being_answered() throws Exception {
        var gateway = devnet().connect("Org1MSP", "Admin");
        var tx = gateway.getNetwork("gridledger").getContract("gridledger").newProposal("Deposit")
                .addArguments("Org1MSP/impatient", "7").build().endorse();
        var impatient = FabricNetwork.commitOf(gateway, "gridledger", tx.getTransactionId());
        assertThatThrownBy(() -> impatient.getStatus(o -> o.withDeadlineAfter(200, TimeUnit.MILLISECONDS)))
                .isInstanceOfSatisfying(CommitStatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        var status = tx.submitAsync().getStatus(o -> o.withDeadlineAfter(10, TimeUnit.SECONDS));
        assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(impatient.getStatus(o -> o.withDeadlineAfter(10, TimeUnit.SECONDS)).getBlockNumber())
                .isEqualTo(status.getBlockNumber());
    }

    @Test
    void once_commit_status_says_valid_a_query_sees_the_transactions_writes() throws Exception {
        var gateway = devnet().connect("Org1MSP", "Admin");
        var contract = gateway.getNetwork("gridledger").getContract("gridledger");
        var account = "Org1MSP/read-your-writes";
        var tx = contract.newProposal("Deposit").addArguments(account, "5").build().endorse();
        var seen = new CompletableFuture<String>();
        // Ask what a client sees while the block is on disk but its writes may not be in the state yet: the
        // listener runs on the committing thread, which waits up to a second for the answer.
        Consumer<Block> askDuringCommit = block -> {
            if (block.getData().getDataList().stream().noneMatch(e -> Envelopes.txId(e).orElse("").equals(tx.getTransactionId()))) {
                return;
            }
            var reader = CompletableFuture.supplyAsync(() -> {
                try {
                    var status = FabricNetwork.commitOf(gateway, "gridledger", tx.getTransactionId()).getStatus();
                    return status.getCode() + " " + new String(contract.evaluateTransaction("GetAccount", account), StandardCharsets.UTF_8);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            try {
                seen.complete(reader.get(1, TimeUnit.SECONDS));
            } catch (TimeoutException held) {
                reader.whenComplete((answer, failure) -> {
                    if (failure != null) {
                        seen.completeExceptionally(failure);
                    } else {
                        seen.complete(answer);
                    }
                });
            } catch (InterruptedException | ExecutionException e) {
                seen.completeExceptionally(e);
            }
        };
        try (var hook = devnet().devnet().ledger().blocks().addListener(askDuringCommit)) {
            tx.submitAsync();
            assertThat(seen.get(30, TimeUnit.SECONDS)).startsWith("VALID ").contains("\"balance\":5");
        }
    }
}
