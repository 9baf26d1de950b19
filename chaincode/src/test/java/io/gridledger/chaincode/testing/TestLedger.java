package io.gridledger.chaincode.testing;

import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.ledger.KeyModification;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The committed world state of the GridLedger chaincode on one channel, with a peer that runs transactions
 * through the shim's real {@link ContractRouter} — the contract classes, their routing, argument
 * deserialisation and error handling are exactly what the peer would run.
 *
 * <p>{@link #submit} endorses a proposal on a fresh {@link FakeChaincodeStub} (new transaction id, timestamp from
 * this ledger's clock) and, if the chaincode answers success, commits the write set atomically: values, deletes,
 * key-level endorsement policies and key history. A failed transaction commits nothing. {@link #evaluate} runs the
 * same way and never commits.
 *
 * <p>Transactions run one after another, so {@code submit} never meets an MVCC conflict. To test concurrent
 * endorsement, take two stubs with {@link #newStub} (both read the same committed state), then
 * {@link #commit(FakeChaincodeStub)} them in order: the second gets {@code MVCC_READ_CONFLICT} if it read a key
 * the first one changed.
 *
 * <p>Not modelled: endorsement policies (including key-level ones: they are stored and returned, not enforced),
 * private data, CouchDB. The clock does not move by itself; transactions share a timestamp until you
 * {@link #advance} it, as transactions from one client second can.
 *
 * <pre>{@code
 * var ids = TestIdentities.create("Org1MSP", "Org2MSP");
 * var ledger = new TestLedger();
 * TxResult result = ledger.submit(ids.client("Org1MSP", "alice"), "Accounts:deposit", "100");
 * assertThat(result.ok()).as(result.toString()).isTrue();
 * ledger.advance(Duration.ofMinutes(5));
 * }</pre>
 */
public final class TestLedger {

    /** The peer's MSP id unless another is given. */
    public static final String DEFAULT_PEER_MSP_ID = "Org1MSP";
    /** The channel every test ledger belongs to. */
    public static final String CHANNEL_ID = "gridledger";
    /** The chaincode name in proposals. */
    public static final String CHAINCODE_NAME = "gridledger";
    /** Where the clock starts: a fixed instant, so tests are reproducible. */
    public static final Instant DEFAULT_START_TIME = Instant.parse("2025-01-01T00:00:00Z");

    private final String peerMspId;
    private final Set<String> txIds = new HashSet<>();
    private CommittedState committed = CommittedState.GENESIS;
    private Instant now;
    private long proposalCount;

    /** A ledger on a peer of {@value #DEFAULT_PEER_MSP_ID}, clock at {@link #DEFAULT_START_TIME}. */
    public TestLedger() {
        this(DEFAULT_PEER_MSP_ID);
    }

    /** A ledger on a peer of the given organisation (what {@code stub.getMspId()} returns). */
    public TestLedger(String peerMspId) {
        this.peerMspId = Objects.requireNonNull(peerMspId, "peerMspId");
        this.now = DEFAULT_START_TIME;
    }

    // ---------------------------------------------------------------- clock

    /** The timestamp the next transaction gets. */
    public synchronized Instant now() {
        return now;
    }

    public synchronized void setTime(Instant time) {
        this.now = Objects.requireNonNull(time, "time");
    }

    public synchronized void advance(Duration duration) {
        this.now = now.plus(Objects.requireNonNull(duration, "duration"));
    }

    // ---------------------------------------------------------------- transactions

    /** A proposal to refine (transaction id, transient data) before submitting or evaluating it. */
    public TransactionProposal proposal(Identity creator, String function, String... args) {
        return new TransactionProposal(this, creator, function, args);
    }

    /**
     * Runs {@code function} (as the router names it: {@code "Contract:transaction"}, or just
     * {@code "transaction"} for the {@code @Default} contract) and commits its writes if it succeeds.
     */
    public TxResult submit(Identity creator, String function, String... args) {
        return proposal(creator, function, args).submit();
    }

    /** Like {@link #submit} with an explicit transaction id, so two ledgers can run the very same transaction. */
    public TxResult submitWithTxId(String txId, Identity creator, String function, String... args) {
        return proposal(creator, function, args).withTxId(txId).submit();
    }

    /** Runs {@code function} without committing anything (a query). */
    public TxResult evaluate(Identity creator, String function, String... args) {
        return proposal(creator, function, args).evaluate();
    }

    /** A stub for a transaction by {@code creator}, to drive the stub API directly without any contract. */
    public FakeChaincodeStub newStub(Identity creator, String function, String... args) {
        return proposal(creator, function, args).newStub();
    }

    /**
     * Validates and commits a stub's write set as a committing peer would: {@code DUPLICATE_TXID} if its
     * transaction id is already on the ledger, {@code MVCC_READ_CONFLICT} if a key it read has changed since it
     * started, {@code PHANTOM_READ_CONFLICT} if a range it scanned has changed, otherwise {@code VALID} and the
     * writes are applied. Whether the chaincode "succeeded" is the caller's business.
     */
    public synchronized TxValidationCode commit(FakeChaincodeStub stub) {
        Objects.requireNonNull(stub, "stub");
        if (!txIds.add(stub.getTxId())) {
            return TxValidationCode.DUPLICATE_TXID;
        }
        if (stub.snapshot() != committed) {
            var code = committed.validate(stub.reads(), stub.rangeReads());
            if (code != TxValidationCode.VALID) {
                return code;
            }
        }
        committed = committed.apply(stub.getTxId(), stub.getTxTimestamp(),
                stub.rawWrites(), stub.rawValidationParameterWrites());
        return TxValidationCode.VALID;
    }

    synchronized TxResult run(TransactionProposal proposal, boolean submit) {
        var stub = newStub(proposal);
        if (txIds.contains(stub.getTxId())) {
            // The endorser refuses a proposal whose transaction id is already on the ledger.
            return TxResult.rejectedByPeer(stub.getTxId(), "duplicate transaction found [" + stub.getTxId() + "]");
        }
        var response = invoke(stub);
        var committedNow = submit && TxResult.isSuccess(response.getStatusCode())
                && commit(stub) == TxValidationCode.VALID;
        return TxResult.of(stub, response, committedNow);
    }

    synchronized Endorsed endorse(TransactionProposal proposal) {
        var stub = newStub(proposal);
        return new Endorsed(TxResult.of(stub, invoke(stub), false), stub);
    }

    /**
     * Validates and commits an endorsement made earlier ({@link TransactionProposal#endorse()}); a failed chaincode
     * response commits nothing and is reported as {@code ENDORSEMENT_POLICY_FAILURE}, as no client would submit it.
     */
    public synchronized TxValidationCode commit(Endorsed endorsed) {
        if (!endorsed.result().ok()) {
            return TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
        }
        return commit(endorsed.stub());
    }

    /** Runs the contract on {@code stub} with this peer's clock reading the ledger's time. */
    private org.hyperledger.fabric.shim.Chaincode.Response invoke(FakeChaincodeStub stub) {
        return io.gridledger.chaincode.ledger.PeerClock.at(now, () -> Router.INSTANCE.invoke(stub));
    }

    synchronized FakeChaincodeStub newStub(TransactionProposal proposal) {
        var creatorBytes = proposal.creator().serialized();
        byte[] nonce;
        String txId;
        if (proposal.txId().isPresent()) {
            txId = proposal.txId().get();
            nonce = Arrays.copyOf(sha256(("nonce:" + txId).getBytes(StandardCharsets.UTF_8)), 24);
        } else {
            // Deterministic stand-in for the client's random nonce; the id is derived as Fabric clients derive it.
            nonce = Arrays.copyOf(sha256((CHANNEL_ID + ":" + peerMspId + ":" + proposalCount)
                    .getBytes(StandardCharsets.UTF_8)), 24);
            txId = HexFormat.of().formatHex(sha256(concat(nonce, creatorBytes)));
        }
        proposalCount++;
        return new FakeChaincodeStub(committed, CHANNEL_ID, CHAINCODE_NAME, txId, proposal.timestamp().orElse(now),
                proposal.creator(), proposal.argBytes(), proposal.transientData(), nonce,
                proposal.peerMspId().orElse(peerMspId));
    }

    // ---------------------------------------------------------------- committed state

    public String channelId() {
        return CHANNEL_ID;
    }

    public String chaincodeName() {
        return CHAINCODE_NAME;
    }

    public String peerMspId() {
        return peerMspId;
    }

    /** The committed value of {@code key}. */
    public synchronized Optional<byte[]> state(String key) {
        return committed.entry(key).map(entry -> entry.value().clone());
    }

    /** The committed value of {@code key} as UTF-8 text. */
    public Optional<String> stateString(String key) {
        return state(key).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** The committed key-level endorsement policy of {@code key}. */
    public synchronized Optional<byte[]> validationParameter(String key) {
        return committed.entry(key).map(CommittedState.Entry::validationParameter).map(byte[]::clone);
    }

    /** Every committed key and value, in LevelDB (UTF-8 byte) order. A copy. */
    public synchronized SortedMap<String, byte[]> stateSnapshot() {
        return committed.values();
    }

    /** The committed history of {@code key}, newest first, as {@code getHistoryForKey} returns it. */
    public synchronized List<KeyModification> history(String key) {
        var history = committed.history(key);
        var newestFirst = new ArrayList<KeyModification>(history.size());
        for (int i = history.size() - 1; i >= 0; i--) {
            newestFirst.add(new LedgerKeyModification(history.get(i)));
        }
        return newestFirst;
    }

    /** How many transactions have been committed. */
    public synchronized long height() {
        return committed.height();
    }

    /** Whether a transaction with this id is on the ledger (committed, or rejected at validation). */
    public synchronized boolean hasTransaction(String txId) {
        return txIds.contains(txId);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        var joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    @Override
    public synchronized String toString() {
        return "TestLedger[channel " + CHANNEL_ID + ", peer " + peerMspId + ", height " + committed.height()
                + ", " + committed.values().size() + " keys, time " + now + "]";
    }

    /**
     * The one contract router of the test JVM, started the way production starts it.
     *
     * <p>{@code new ContractRouter(args)} only parses options (it insists on a chaincode id, hence {@code -i});
     * the classpath scan that registers the {@code @Contract} classes, and the metadata build and schema
     * validation, happen in the package-private {@code findAllContracts()} and {@code MetadataBuilder.initialize},
     * which the public {@link ContractRouter#startRouterWithChaincodeServer} runs before starting its server. We pass
     * it a server that does nothing, so the router is initialised exactly like {@code ChaincodeMain}'s
     * chaincode-as-a-service path, without reflection. One instance only: the shim's type registry and metadata
     * are static, and the contract classes are instantiated per transaction anyway.
     */
    private static final class Router {

        // Strong references: java.util.logging forgets the level of a logger nobody references.
        // Declared before INSTANCE: static initialisers run in textual order.
        private static final List<Logger> QUIETED = new ArrayList<>();

        static final ContractRouter INSTANCE = start();

        private static ContractRouter start() {
            var router = new ContractRouter(new String[] {"-i", CHAINCODE_NAME + ":test"});
            try {
                router.startRouterWithChaincodeServer(new ChaincodeServer() {
                    @Override
                    public void start() {
                        // in-process: the test ledger calls the router directly
                    }

                    @Override
                    public void stop() {
                        // nothing started
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException("cannot initialise the contract router", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted initialising the contract router", e);
            }
            // Expected refusals become INFO lines, as in the chaincode server (ChaincodeMain); the shim logs every
            // invocation at INFO: keep test output to warnings and errors.
            io.gridledger.chaincode.RefusalLogging.install();
            for (var name : List.of("org.hyperledger.fabric", "org.hyperledger.fabric.contract",
                    "org.hyperledger.fabric.shim")) {
                var logger = Logger.getLogger(name);
                logger.setLevel(Level.WARNING);
                QUIETED.add(logger);
            }
            return router;
        }
    }
}
