package io.gridledger.chaincode.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A transaction proposal to run on a {@link TestLedger}, for the cases the shortcuts on {@code TestLedger} do not
 * cover: an explicit transaction id (to run the very same transaction on two ledgers) or transient data.
 * Immutable: each {@code with…} returns a new proposal.
 *
 * <pre>{@code
 * var proposal = ledgerA.proposal(alice, "Market:submitJob", specJson).withTxId("tx-42");
 * TxResult onA = proposal.submit();
 * TxResult onB = ledgerB.proposal(alice, "Market:submitJob", specJson).withTxId("tx-42").submit();
 * assertThat(onA.writeSetDigest()).isEqualTo(onB.writeSetDigest());
 * }</pre>
 */
public final class TransactionProposal {

    private final TestLedger ledger;
    private final Identity creator;
    private final List<String> args;
    private final Optional<String> txId;
    private final Map<String, byte[]> transientData;
    private final Optional<Instant> timestamp;
    private final Optional<String> peerMspId;

    TransactionProposal(TestLedger ledger, Identity creator, String function, String... args) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.creator = Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(args, "args");
        var all = new ArrayList<String>(args.length + 1);
        all.add(function);
        for (var arg : args) {
            all.add(Objects.requireNonNull(arg, "an argument is null"));
        }
        this.args = List.copyOf(all);
        this.txId = Optional.empty();
        this.transientData = Map.of();
        this.timestamp = Optional.empty();
        this.peerMspId = Optional.empty();
    }

    private TransactionProposal(TestLedger ledger, Identity creator, List<String> args, Optional<String> txId,
                                Map<String, byte[]> transientData, Optional<Instant> timestamp, Optional<String> peerMspId) {
        this.ledger = ledger;
        this.creator = creator;
        this.args = args;
        this.txId = txId;
        this.transientData = transientData;
        this.timestamp = timestamp;
        this.peerMspId = peerMspId;
    }

    /** The same proposal with an explicit transaction id instead of one derived from nonce and creator. */
    public TransactionProposal withTxId(String txId) {
        Objects.requireNonNull(txId, "txId");
        if (txId.isEmpty()) {
            throw new IllegalArgumentException("txId must not be empty");
        }
        return new TransactionProposal(ledger, creator, args, Optional.of(txId), transientData, timestamp, peerMspId);
    }

    /**
     * The same proposal stamped with {@code time} instead of the ledger's clock: what a client that chooses its own
     * timestamp sends. The peer's clock stays the ledger's.
     */
    public TransactionProposal withTimestamp(Instant time) {
        Objects.requireNonNull(time, "time");
        return new TransactionProposal(ledger, creator, args, txId, transientData, Optional.of(time), peerMspId);
    }

    /** The same proposal endorsed by a peer of {@code mspId} (what {@code stub.getMspId()} answers there). */
    public TransactionProposal onPeerOf(String mspId) {
        Objects.requireNonNull(mspId, "mspId");
        return new TransactionProposal(ledger, creator, args, txId, transientData, timestamp, Optional.of(mspId));
    }

    /** The same proposal with one more transient data entry (visible through {@code getTransient()}). */
    public TransactionProposal withTransient(String key, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        var copy = new TreeMap<>(transientData);
        copy.put(key, value.clone());
        return new TransactionProposal(ledger, creator, args, txId, Collections.unmodifiableMap(copy), timestamp, peerMspId);
    }

    /** Endorses the proposal and, if the chaincode succeeds, commits its write set. */
    public TxResult submit() {
        return ledger.run(this, true);
    }

    /** Endorses the proposal without committing anything, like a gateway {@code evaluateTransaction}. */
    public TxResult evaluate() {
        return ledger.run(this, false);
    }

    /**
     * Endorses the proposal now and keeps its simulation, to commit later with {@link TestLedger#commit(Endorsed)}:
     * several proposals endorsed on the same state, then committed in order, show which ones conflict.
     */
    public Endorsed endorse() {
        return ledger.endorse(this);
    }

    /**
     * A stub for this proposal without running any chaincode: call the stub API directly, then
     * {@link TestLedger#commit(FakeChaincodeStub)} it if you want its writes committed.
     */
    public FakeChaincodeStub newStub() {
        return ledger.newStub(this);
    }

    Identity creator() {
        return creator;
    }

    List<byte[]> argBytes() {
        return args.stream().map(arg -> arg.getBytes(StandardCharsets.UTF_8)).toList();
    }

    Optional<String> txId() {
        return txId;
    }

    Map<String, byte[]> transientData() {
        return transientData;
    }

    Optional<Instant> timestamp() {
        return timestamp;
    }

    Optional<String> peerMspId() {
        return peerMspId;
    }

    @Override
    public String toString() {
        return "TransactionProposal[" + creator.mspId() + "/" + creator.name() + " " + args
                + txId.map(id -> " txId=" + id).orElse("")
                + (transientData.isEmpty() ? "" : " transient=" + transientData.keySet())
                + "]";
    }
}
