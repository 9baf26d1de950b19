package io.gridledger.devnet.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.FileCheckpointer;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * devnet closed and started again on the same data directory, with ports that change: what was committed stays
 * committed, and a client that checkpoints the chaincode events it has processed resumes exactly where it stopped.
 *
 * <p>Before the restart ({@link #runUntilRestart}): payments commit, several in one block; an event reader with a
 * file checkpointer processes events and stops in the middle of that block; more payments commit while it is away.
 * The tests then look at the restarted devnet.
 */
class DevnetRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "gridledger";
    private static final String CHAINCODE = "gridledger";
    /** Only deposited to before the restart. */
    private static final String UNTOUCHED_ACCOUNT = "Org1MSP/restart-untouched";
    private static final AtomicInteger DEPOSITS = new AtomicInteger();
    /** Credits deposited by the test, by account. */
    private static final Map<String, Long> DEPOSITED = new ConcurrentHashMap<>();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path clientDir;

    static DevnetNetwork network;
    static Network channel;
    static Contract admin1;
    /** Every user of every org, each paying from its own account: payments from different payers never conflict. */
    static final List<Contract> payers = new ArrayList<>();

    /** Block from which the reader reads: the first after InitLedger. */
    static long firstBlock;
    /** The block in which the reader stopped, after its first event. */
    static long stopBlock;
    /** Tx ids of the events the reader processed before the restart, in order. */
    static final List<String> processedBeforeRestart = new ArrayList<>();
    /** Every payment the test committed. */
    static final Set<String> payments = new HashSet<>();

    static long heightBeforeRestart;
    static long heightAfterRestart;
    static long balanceBeforeRestart;
    static byte[] commitOfAnEarlyDeposit;
    static SubmittedTransaction earlyDeposit;
    static long earlyDepositBlock;

    @BeforeAll
    static void runUntilRestart() throws Exception {
        network = DevnetNetwork.start(dataDir);
        connect();
        Transactions.bootstrap(network, FabricNetwork.CHAINCODE);
        fundPayers();
        firstBlock = network.devnet().ledger().height();

        var checkpointFile = clientDir.resolve("checkpoint.json");
        try (var checkpointer = new FileCheckpointer(checkpointFile);
             var events = channel.newChaincodeEventsRequest(CHAINCODE).startBlock(firstBlock).checkpoint(checkpointer).build()
                     .getEvents(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))) {
            var first = payTogether(6);
            earlyDeposit = first.get(0);
            earlyDepositBlock = earlyDeposit.getStatus().getBlockNumber();
            commitOfAnEarlyDeposit = earlyDeposit.getBytes();
            stopBlock = blockHoldingSeveral(first);
            // Process events up to and including the first one of stopBlock, then stop as a crashed reader would.
            while (true) {
                var event = events.next();
                processedBeforeRestart.add(event.getTransactionId());
                checkpointer.checkpointChaincodeEvent(event);
                if (event.getBlockNumber() == stopBlock) {
                    break;
                }
            }
        }
        payTogether(3); // committed while the reader is away
        payTogether(UNTOUCHED_ACCOUNT, 1);

        heightBeforeRestart = network.devnet().ledger().height();
        balanceBeforeRestart = balance(UNTOUCHED_ACCOUNT);
        network.close();
        network = DevnetNetwork.start(dataDir);
        connect();
        heightAfterRestart = network.devnet().ledger().height();
    }

    @AfterAll
    static void stop() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void a_checkpointed_event_reader_resumes_mid_block_after_a_restart_and_gets_every_event_exactly_once() throws Exception {
        payTogether(6);
        var committed = committedPayments();
        assertThat(processedBeforeRestart).as("what the reader processed before the restart is the start of the chain's events")
                .isEqualTo(committed.subList(0, processedBeforeRestart.size()));

        var received = new ArrayList<>(processedBeforeRestart);
        try (var checkpointer = new FileCheckpointer(clientDir.resolve("checkpoint.json"))) {
            assertThat(checkpointer.getBlockNumber()).hasValue(stopBlock);
            assertThat(checkpointer.getTransactionId()).contains(processedBeforeRestart.get(processedBeforeRestart.size() - 1));
            try (var events = channel.newChaincodeEventsRequest(CHAINCODE).startBlock(firstBlock).checkpoint(checkpointer)
                    .build().getEvents(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))) {
                var resumedWith = events.next();
                assertThat(resumedWith.getBlockNumber()).as("the rest of the block the reader stopped in comes first")
                        .isEqualTo(stopBlock);
                process(resumedWith, received, checkpointer);
                while (received.size() < committed.size()) {
                    process(events.next(), received, checkpointer);
                }
                assertThat(received).as("events received across the restart, in order").isEqualTo(committed);

                var marker = payTogether(1).get(0);
                assertThat(events.next().getTransactionId()).as("the next event after all committed ones")
                        .isEqualTo(marker.getTransactionId());
            }
        }
    }

    @Test
    void every_event_replays_from_block_0_after_a_restart() throws Exception {
        var marker = payTogether(1).get(0);
        var chain = DeliveredChain.read(channel, marker.getStatus().getBlockNumber());
        var replayed = new ArrayList<String>();
        try (var events = channel.newChaincodeEventsRequest(CHAINCODE).startBlock(0).build()
                .getEvents(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))) {
            while (!marker.getTransactionId().equals(lastOf(replayed))) {
                replayed.add(events.next().getTransactionId());
            }
        }
        // Every valid GridLedger transaction emits an event: InitLedger, the funding deposits, then the payments.
        assertThat(replayed).isEqualTo(chain.validTxIds());
    }

    @Test
    void the_height_and_the_state_are_as_they_were_before_the_restart() throws Exception {
        assertThat(heightAfterRestart).isEqualTo(heightBeforeRestart);
        assertThat(balanceBeforeRestart).isEqualTo(DEPOSITED.get(UNTOUCHED_ACCOUNT)).isPositive();
        assertThat(balance(UNTOUCHED_ACCOUNT)).isEqualTo(balanceBeforeRestart);
    }

    @Test
    void the_commit_status_of_a_transaction_committed_before_the_restart_still_answers() throws Exception {
        var status = network.connect("Org1MSP", "Admin").newCommit(commitOfAnEarlyDeposit)
                .getStatus(o -> o.withDeadlineAfter(10, TimeUnit.SECONDS));
        assertThat(status.getTransactionId()).isEqualTo(earlyDeposit.getTransactionId());
        assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(status.getBlockNumber()).isEqualTo(earlyDepositBlock);
    }

    private static void connect() {
        Gateway gateway = network.connect("Org1MSP", "Admin");
        channel = gateway.getNetwork(CHANNEL);
        admin1 = channel.getContract(CHAINCODE);
        payers.clear();
        for (var org : Transactions.ORGS) {
            for (var user : List.of("Admin", "User1", "node1")) {
                payers.add(network.connect(org, user).getNetwork(CHANNEL).getContract(CHAINCODE));
            }
        }
    }

    /** Each org's admin credits its org's users, one deposit at a time (deposits of one org share its supply counter). */
    private static void fundPayers() throws Exception {
        for (var org : Transactions.ORGS) {
            var admin = network.connect(org, "Admin").getNetwork(CHANNEL).getContract(CHAINCODE);
            for (var user : List.of("Admin", "User1", "node1")) {
                admin.submitTransaction("Deposit", Transactions.account(org, user), "1000000");
            }
        }
    }

    /**
     * Payments endorsed first and then submitted back to back, so that they share blocks; all must be valid. Each is
     * made by a different payer (its own balance shards) to an account of its own (a new credit entry), so that none
     * conflicts with another in its block.
     */
    private static List<SubmittedTransaction> payTogether(int count) throws EndorseException, SubmitException {
        return payTogether(null, count);
    }

    private static List<SubmittedTransaction> payTogether(String account, int count)
            throws EndorseException, SubmitException {
        assertThat(count).as("one payer per payment of a batch").isLessThanOrEqualTo(payers.size());
        var endorsed = new ArrayList<Transaction>();
        for (int i = 0; i < count; i++) {
            int n = DEPOSITS.incrementAndGet();
            var to = account != null ? account : "Org1MSP/restart-" + n;
            long amount = n * 10L;
            endorsed.add(payers.get(i).newProposal("Transfer").addArguments(to, Long.toString(amount)).build().endorse());
            DEPOSITED.merge(to, amount, Long::sum);
        }
        var submitted = new ArrayList<SubmittedTransaction>();
        for (var tx : endorsed) {
            submitted.add(tx.submitAsync());
        }
        for (var tx : submitted) {
            try {
                assertThat(tx.getStatus().getCode()).as("payment %s", tx.getTransactionId()).isEqualTo(TxValidationCode.VALID);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            payments.add(tx.getTransactionId());
        }
        return submitted;
    }

    /** A block holding at least two of {@code txs}: the reader can stop after its first event, in mid-block. */
    private static long blockHoldingSeveral(List<SubmittedTransaction> txs) throws Exception {
        var perBlock = new java.util.TreeMap<Long, Integer>();
        for (var tx : txs) {
            perBlock.merge(tx.getStatus().getBlockNumber(), 1, Integer::sum);
        }
        return perBlock.entrySet().stream().filter(e -> e.getValue() >= 2).map(java.util.Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("payments submitted back to back should share a block: " + perBlock));
    }

    /** The committed payments in commit order, as the blocks say. */
    private static List<String> committedPayments() throws Exception {
        var chain = DeliveredChain.read(channel, network.devnet().ledger().height() - 1);
        return chain.validTxIds().stream().filter(payments::contains).toList();
    }

    private static void process(ChaincodeEvent event, List<String> received, org.hyperledger.fabric.client.Checkpointer checkpointer)
            throws java.io.IOException {
        assertThat(event.getEventName()).isEqualTo("Transferred");
        received.add(event.getTransactionId());
        checkpointer.checkpointChaincodeEvent(event);
    }

    private static long balance(String account) throws Exception {
        return JSON.readTree(admin1.evaluateTransaction("GetAccount", account)).path("balance").asLong(-1);
    }

    private static String lastOf(List<String> list) {
        return list.isEmpty() ? null : list.get(list.size() - 1);
    }
}
