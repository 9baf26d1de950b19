package io.gridledger.devnet.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Proposal;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * devnet ({@link DevnetProcess}) killed with SIGKILL while clients submit deposits, then started again on the same
 * data directory — twice, at a random point. After each restart:
 * <ul>
 *   <li>every commit status a client was given before a kill is given again, with the same block number;</li>
 *   <li>the chain delivered from block 0 is numbered without gaps and hash-linked ({@link DeliveredChain}), holds
 *       every transaction reported, and nothing no client sent;</li>
 *   <li>a transaction sent but never reported is either on the chain, with the status the chain gives it, or on no
 *       block, and then its commit status waits (as Fabric's gateway does) — and it never shows up later;</li>
 *   <li>each account's balance is the sum of its valid deposits on the chain: the world state rebuilt at start holds
 *       exactly the writes of the valid transactions of the blocks that survived;</li>
 *   <li>devnet takes new transactions.</li>
 * </ul>
 */
class DevnetCrashIT {

    private static final String CHANNEL = "gridledger";
    private static final String CHAINCODE = "gridledger";
    private static final int KILLS = 2;
    /**
     * Two clients share Org1's account: now and then their deposits read the same balance shard, and one fails
     * validation (MVCC_READ_CONFLICT) or endorsement (the endorsers read different versions).
     */
    private static final List<String> CLIENT_ORGS = List.of("Org1MSP", "Org2MSP", "Org3MSP", "Org1MSP");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;

    /** Every transaction the test sent to the orderer (or tried to): by tx id. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    /** What commit status said before a kill: by tx id. */
    private final Map<String, Outcome> reported = new ConcurrentHashMap<>();
    /** Sent, never reported, and found in no block after the restart that followed. */
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final AtomicLong amounts = new AtomicLong();

    /** A transaction as its client knows it; {@code account} is null for InitLedger. */
    record Sent(String txId, String org, String account, long amount) {
    }

    record Outcome(TxValidationCode code, long block) {
    }

    @Test
    void what_clients_were_told_before_a_kill_minus_9_still_holds_after_a_restart_and_nothing_is_half_committed() throws Exception {
        long seed = System.nanoTime();
        var random = new Random(seed);
        var devnet = DevnetProcess.start(dataDir, logs.resolve("devnet-0.log"));
        try {
            // The consortium starts with the approvals of Org1's and Org2's admins, endorsed by those two orgs' peers.
            for (var org : List.of("Org1MSP", "Org2MSP")) {
                var init = devnet.connect(org, "Admin").getNetwork(CHANNEL).getContract(CHAINCODE).newProposal("InitLedger")
                        .addArguments(Transactions.params()).setEndorsingOrganizations("Org1MSP", "Org2MSP").build().endorse();
                sent.put(init.getTransactionId(), new Sent(init.getTransactionId(), org, null, 0));
                var initStatus = init.submitAsync().getStatus();
                assertThat(initStatus.getCode()).isEqualTo(TxValidationCode.VALID);
                reported.put(init.getTransactionId(), new Outcome(initStatus.getCode(), initStatus.getBlockNumber()));
            }

            for (int kill = 1; kill <= KILLS; kill++) {
                int killAfter = 8 + random.nextInt(24);
                var context = "kill " + kill + " after " + killAfter + " submissions (seed " + seed + ")";
                var unreportedBefore = unreported();
                loadAndKill(devnet, killAfter, context);
                devnet = DevnetProcess.start(dataDir, logs.resolve("devnet-" + kill + ".log"));
                var newlyUnreported = new HashSet<>(unreported());
                newlyUnreported.removeAll(unreportedBefore);
                verify(devnet, newlyUnreported, context);
            }
        } finally {
            devnet.close();
        }
    }

    /** Clients submit deposits until {@code killAfter} have been sent, then devnet gets SIGKILL. */
    private void loadAndKill(DevnetProcess devnet, int killAfter, String context) throws Exception {
        var sentThisRound = new AtomicInteger();
        var killed = new AtomicBoolean();
        var errors = new CopyOnWriteArrayList<Throwable>();
        var pool = Executors.newFixedThreadPool(CLIENT_ORGS.size());
        for (var org : CLIENT_ORGS) {
            var gateway = devnet.connect(org, "Admin");
            pool.execute(() -> {
                var contract = gateway.getNetwork(CHANNEL).getContract(CHAINCODE);
                var account = account(org);
                while (!killed.get()) {
                    try {
                        long amount = amounts.incrementAndGet();
                        var tx = endorse(contract.newProposal("Deposit").addArguments(account, Long.toString(amount)).build());
                        if (tx.isEmpty()) {
                            continue;
                        }
                        var txId = tx.get().getTransactionId();
                        sent.put(txId, new Sent(txId, org, account, amount));
                        sentThisRound.incrementAndGet();
                        var status = tx.get().submitAsync().getStatus();
                        reported.put(txId, new Outcome(status.getCode(), status.getBlockNumber()));
                    } catch (Exception e) {
                        if (!killed.get()) {
                            errors.add(e instanceof GatewayException g ? new AssertionError(g + " " + g.getDetails(), g) : e);
                        }
                        return;
                    }
                }
            });
        }
        await(context).atMost(Duration.ofSeconds(60))
                .failFast(() -> assertThat(errors).as("client errors before the kill").isEmpty())
                .until(() -> sentThisRound.get() >= killAfter);
        killed.set(true);
        devnet.kill();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("clients stop once devnet is gone").isTrue();
        assertThat(errors).as("client errors before the kill").isEmpty();
    }

    /**
     * The endorsed transaction, or empty when the endorsers disagreed: a deposit to the shared account committed
     * between two of them reading it (the gateway then refuses, as Fabric's does; the client may try again).
     */
    private static Optional<Transaction> endorse(Proposal proposal) throws EndorseException {
        try {
            return Optional.of(proposal.endorse());
        } catch (EndorseException e) {
            if (!e.getDetails().isEmpty()
                    && e.getDetails().stream().allMatch(d -> d.getMessage().contains("ProposalResponsePayloads do not match"))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void verify(DevnetProcess devnet, Set<String> newlyUnreported, String context) throws Exception {
        var gateways = new LinkedHashMap<String, Gateway>();
        for (var org : Transactions.ORGS) {
            gateways.put(org, devnet.connect(org, "Admin"));
        }
        // The restarted devnet takes new work; its block is the newest, so the chain read below ends there.
        long markerAmount = amounts.incrementAndGet();
        var marker = gateways.get("Org1MSP").getNetwork(CHANNEL).getContract(CHAINCODE).newProposal("Deposit")
                .addArguments(account("Org1MSP"), Long.toString(markerAmount)).build().endorse();
        sent.put(marker.getTransactionId(), new Sent(marker.getTransactionId(), "Org1MSP", account("Org1MSP"), markerAmount));
        var markerStatus = marker.submitAsync().getStatus();
        assertThat(markerStatus.getCode()).as(context + ": a deposit after the restart").isEqualTo(TxValidationCode.VALID);
        reported.put(marker.getTransactionId(), new Outcome(markerStatus.getCode(), markerStatus.getBlockNumber()));

        var chain = new LinkedHashMap<String, Outcome>();
        DeliveredChain.read(gateways.get("Org1MSP").getNetwork(CHANNEL), markerStatus.getBlockNumber()).firstOccurrences()
                .forEach((txId, tx) -> chain.put(txId, new Outcome(tx.code(), tx.block())));

        assertThat(chain.keySet()).as(context + ": every transaction on the chain was sent by a client")
                .isSubsetOf(sent.keySet());
        reported.forEach((txId, outcome) -> assertThat(chain.get(txId))
                .as(context + ": tx %s was reported %s", txId, outcome).isEqualTo(outcome));
        for (var txId : reported.keySet()) {
            assertThat(commitStatus(gateways, txId, Duration.ofSeconds(10)))
                    .as(context + ": commit status of tx %s reported before a kill", txId).isEqualTo(reported.get(txId));
        }
        for (var txId : newlyUnreported) {
            var onChain = chain.get(txId);
            if (onChain != null) {
                assertThat(commitStatus(gateways, txId, Duration.ofSeconds(10))).as(context + ": tx %s", txId)
                        .isEqualTo(onChain);
            } else {
                lost.add(txId);
                // Fabric's gateway waits for a transaction it has not seen committed; so does devnet.
                assertThatThrownBy(() -> commitStatus(gateways, txId, Duration.ofMillis(500)))
                        .as(context + ": commit status of tx %s, which no block holds", txId)
                        .isInstanceOfSatisfying(CommitStatusException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            }
        }
        assertThat(lost).as(context + ": transactions lost in an earlier kill stay lost").doesNotContainAnyElementsOf(chain.keySet());

        var expected = new TreeMap<String, Long>();
        var actual = new TreeMap<String, Long>();
        Transactions.ORGS.forEach(org -> expected.put(account(org), 0L));
        for (var sentTx : sent.values()) {
            var onChain = chain.get(sentTx.txId());
            if (sentTx.account() != null && onChain != null && onChain.code() == TxValidationCode.VALID) {
                expected.merge(sentTx.account(), sentTx.amount(), Long::sum);
            }
        }
        for (var org : Transactions.ORGS) {
            var account = JSON.readTree(gateways.get(org).getNetwork(CHANNEL).getContract(CHAINCODE)
                    .evaluateTransaction("GetAccount", account(org)));
            actual.put(account(org), account.path("balance").asLong(-1));
        }
        assertThat(actual).as(context + ": balances = the valid deposits on the chain").isEqualTo(expected);
    }

    /** The SDK's commit status for a transaction, asked as the identity that sent it. */
    private Outcome commitStatus(Map<String, Gateway> gateways, String txId, Duration deadline) throws CommitStatusException {
        var status = FabricNetwork.commitOf(gateways.get(sent.get(txId).org()), CHANNEL, txId)
                .getStatus(o -> o.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
        return new Outcome(status.getCode(), status.getBlockNumber());
    }

    private Set<String> unreported() {
        var ids = new HashSet<>(sent.keySet());
        ids.removeAll(reported.keySet());
        return ids;
    }

    private static String account(String org) {
        return org + "/crash-test";
    }
}
