package io.gridledger.devnet.network;

import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.ledger.state.WorldState;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Proposal;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway peer's endorsements and the commit path share the world state's lock: a commit waits for the
 * simulations running, and with many of them running (64 or more: {@link java.util.concurrent.locks.StampedLock}
 * then queues new readers behind a waiting writer) simulations started meanwhile wait for the commit. The gateway
 * must not wait for that lock on the thread that delivers a chaincode stream's messages, or the simulations on that
 * stream can never finish and the peer stalls until the execute timeout.
 */
class GatewayUnderCommitIT {

    private static final Duration EXECUTE_TIMEOUT = Duration.ofSeconds(20);
    /** Simulations in flight besides the test's two, as under the benchmark's 64 writes in flight. */
    private static final int OTHER_SIMULATIONS = 64;

    @TempDir
    static Path dataDir;
    static HeldChaincode chaincode;
    static DevnetNetwork network;
    static ExecutorService clients;

    @BeforeAll
    static void start() {
        chaincode = new HeldChaincode();
        var definition = new ChaincodeDefinition("held", "1.0", 1, "/Channel/Application/Endorsement", chaincode.address());
        network = DevnetNetwork.start(dataDir,
                config -> config.withChaincodes(List.of(definition)).withExecuteTimeout(EXECUTE_TIMEOUT));
        clients = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        clients.shutdownNow();
        network.close();
        chaincode.close();
    }

    @Test
    void an_endorsement_that_completes_while_a_commit_waits_does_not_stall_the_peers_chaincode_stream() throws Exception {
        Contract contract = network.connect("Org1MSP", "User1").getNetwork("gridledger").getContract("held");
        var first = contract.newProposal("Run").build();
        var second = contract.newProposal("Run").build();
        var firstEndorsed = endorse(first);
        var secondEndorsed = endorse(second);
        // Both run on Org1's peer, its chaincode stream, each holding the state's read lock.
        await().atMost(Duration.ofSeconds(10)).until(() -> chaincode.holds(first.getTransactionId())
                && chaincode.holds(second.getTransactionId()));

        var state = network.devnet().ledger().state();
        var others = new ArrayList<Long>();
        for (int i = 0; i < OTHER_SIMULATIONS; i++) {
            others.add(state.beginSimulation());
        }
        var commit = new Thread(() -> network.devnet().ledger().commit(List.of(Envelope.getDefaultInstance())), "test-commit");
        commit.setDaemon(true);
        commit.start();
        // The ledger's committer thread applies the block: it waits for the running simulations to end.
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> waitsIn(thread, "commit")));

        // The first simulation ends: the gateway goes on to another org's simulation, which waits for the commit.
        chaincode.release(first.getTransactionId());
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> waitsIn(thread, "beginSimulation")));
        // The second one's end arrives on the same stream, and the other simulations end: the commit can run, then
        // both endorsements finish.
        chaincode.release(second.getTransactionId());
        others.forEach(state::endSimulation);

        assertThat(secondEndorsed.get(10, TimeUnit.SECONDS).getTransactionId()).isEqualTo(second.getTransactionId());
        assertThat(firstEndorsed.get(10, TimeUnit.SECONDS).getTransactionId()).isEqualTo(first.getTransactionId());
        commit.join(Duration.ofSeconds(10).toMillis());
        assertThat(commit.isAlive()).isFalse();
    }

    private static CompletableFuture<Transaction> endorse(Proposal proposal) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return proposal.endorse();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, clients);
    }

    /** Whether {@code thread} is parked on the world state's lock in {@code WorldState.method}. */
    private static boolean waitsIn(Thread thread, String method) {
        return thread.getState() == Thread.State.WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(WorldState.class.getName()) && frame.getMethodName().equals(method));
    }
}
