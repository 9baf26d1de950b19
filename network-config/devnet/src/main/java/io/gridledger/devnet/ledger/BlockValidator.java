package io.gridledger.devnet.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.ledger.blocks.MalformedTransactionException;
import io.gridledger.devnet.ledger.blocks.ParsedTransaction;
import io.gridledger.devnet.ledger.state.KeyOrder;
import io.gridledger.devnet.ledger.state.UpdateBatch;
import io.gridledger.devnet.ledger.state.Version;
import io.gridledger.devnet.ledger.state.VersionedValue;
import io.gridledger.devnet.ledger.state.WorldState;
import io.gridledger.devnet.msp.Identity;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.msp.InvalidIdentityException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Validates a block's transactions in order, as a Fabric 2.5 peer's committer does, and gathers the state updates of
 * the valid ones. Each transaction gets one {@link TxValidationCode}, from the first check it fails, in Fabric's order:
 * <ol>
 *   <li>structure ({@code NIL_ENVELOPE}, {@code BAD_PAYLOAD}, {@code BAD_COMMON_HEADER}, {@code BAD_RWSET}…),
 *       wrong channel ({@code TARGET_CHAIN_NOT_FOUND}), type ({@code UNKNOWN_TX_TYPE});</li>
 *   <li>{@code BAD_CREATOR_SIGNATURE} when the creator is not a valid channel identity or did not sign, then
 *       {@code BAD_PROPOSAL_TXID} when the id is not hex(SHA-256(nonce ‖ creator)), {@code INVALID_ENDORSER_TRANSACTION}
 *       when the proposal hash does not match, {@code DUPLICATE_TXID} when the id is already on the ledger;</li>
 *   <li>the validation plugin, for the invoked chaincode and every other namespace the transaction writes:
 *       {@code INVALID_CHAINCODE} for an undefined chaincode or a chaincode action that does not match the header,
 *       {@code ILLEGAL_WRITESET} for a namespace that appears twice, {@code ENDORSEMENT_POLICY_FAILURE} when the valid
 *       endorsements do not satisfy the committed key-level policy of every written key that has one and, if any
 *       written key has none (or nothing is written), the chaincode's policy — or when a transaction earlier in the
 *       block that passed this step wrote the metadata of a key this one writes (Fabric's
 *       {@code ValidationParameterUpdatedError});</li>
 *   <li>{@code DUPLICATE_TXID} when an earlier transaction of the block with the same id passed the steps above;</li>
 *   <li>{@code MVCC_READ_CONFLICT} when a read key changed since simulation or was updated by an earlier valid
 *       transaction of the block, {@code PHANTOM_READ_CONFLICT} when a range query would now return something else.</li>
 * </ol>
 */
public final class BlockValidator {

    private static final Logger log = LoggerFactory.getLogger(BlockValidator.class);

    private final String channelId;
    private final IdentityDeserializer msps;
    private final Set<String> chaincodes;
    private final EndorsementRequirements requirements;

    public BlockValidator(String channelId, IdentityDeserializer msps, Set<String> chaincodes,
                          EndorsementRequirements requirements) {
        this.channelId = channelId;
        this.msps = msps;
        this.chaincodes = Set.copyOf(chaincodes);
        this.requirements = requirements;
    }

    /**
     * What a transaction's checks that need neither the world state nor the block's other transactions found: its
     * structure, channel and type, the creator's signature, the transaction id, the proposal hash, its read-write
     * set, and which endorsers signed validly. Independent per transaction, so a block's are computed in parallel
     * (as Fabric's committer validates a block's transactions in parallel) while the block before it commits.
     *
     * @param code      the first of those checks that failed, or VALID
     * @param badRwset  whether the read-write set is malformed (reported after the duplicate check, as in Fabric)
     */
    public record Precheck(ParsedTransaction tx, String txId, TxValidationCode code,
                           List<Map.Entry<String, KVRWSet>> rwsets, boolean badRwset, List<Identity> endorsers) {
    }

    /** The state-independent checks of every transaction of {@code block}, spread over {@code executor}. */
    public CompletableFuture<List<Precheck>> precheck(Block block, Executor executor) {
        int count = block.getData().getDataCount();
        var results = new Precheck[count];
        int parts = Math.min(count, PRECHECK_PARTS);
        var futures = new CompletableFuture<?>[parts];
        for (int part = 0; part < parts; part++) {
            int first = part;
            futures[part] = CompletableFuture.runAsync(() -> {
                for (int i = first; i < count; i += parts) {
                    results[i] = precheck(block.getData().getData(i));
                }
            }, executor);
        }
        return CompletableFuture.allOf(futures).thenApply(done -> Arrays.asList(results));
    }

    /** How many tasks a block's prechecks are split into (interleaved, so each gets a share of any kind of tx). */
    private static final int PRECHECK_PARTS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private Precheck precheck(ByteString envelope) {
        ParsedTransaction tx;
        try {
            tx = Envelopes.parse(envelope);
        } catch (MalformedTransactionException e) {
            return new Precheck(null, Envelopes.txId(envelope).orElse(""), e.validationCode(), List.of(), false, List.of());
        }
        var code = TxValidationCode.VALID;
        if (!channelId.equals(tx.channelId())) {
            code = TxValidationCode.TARGET_CHAIN_NOT_FOUND;
        } else if (!tx.isEndorserTransaction()) {
            code = TxValidationCode.UNKNOWN_TX_TYPE;
        } else if (!signedByCreator(tx)) {
            code = TxValidationCode.BAD_CREATOR_SIGNATURE;
        } else if (!tx.txIdMatchesNonceAndCreator()) {
            code = TxValidationCode.BAD_PROPOSAL_TXID;
        } else if (!tx.action().proposalHashMatches()) {
            code = TxValidationCode.INVALID_ENDORSER_TRANSACTION;
        }
        if (code != TxValidationCode.VALID) {
            return new Precheck(tx, tx.txId(), code, List.of(), false, List.of());
        }
        try {
            return new Precheck(tx, tx.txId(), code, namespaces(tx.action().results()), false, endorsers(tx.action()));
        } catch (InvalidProtocolBufferException e) {
            return new Precheck(tx, tx.txId(), code, List.of(), true, List.of());
        }
    }

    /**
     * @param committedTx whether a transaction id is already committed on the channel
     */
    public ValidatedBlock validate(Block block, WorldState state, Predicate<String> committedTx) {
        return validate(block, precheck(block, Runnable::run).join(), state, committedTx);
    }

    /** {@link #validate(Block, WorldState, Predicate)} with the block's {@link #precheck prechecks} already done. */
    public ValidatedBlock validate(Block block, List<Precheck> prechecks, WorldState state, Predicate<String> committedTx) {
        var run = new BlockRun(block.getHeader().getNumber(), state, committedTx);
        for (int i = 0; i < prechecks.size(); i++) {
            run.codes.add(run.validate(prechecks.get(i), i));
        }
        return new ValidatedBlock(run.codes, run.txIds, run.updates);
    }

    /**
     * The state updates of a block that was validated before (its codes are in its TRANSACTIONS_FILTER metadata):
     * how the world state is rebuilt from the block store after a restart.
     */
    public static UpdateBatch replay(Block block, WorldState state) {
        var updates = new UpdateBatch(state);
        long blockNum = block.getHeader().getNumber();
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            if (Blocks.validationCode(block, i) != TxValidationCode.VALID) {
                continue;
            }
            var tx = Envelopes.parse(block.getData().getData(i));
            if (!tx.isEndorserTransaction()) {
                continue;
            }
            try {
                apply(tx, namespaces(tx.action().results()), new Version(blockNum, i), updates);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("block " + blockNum + " tx " + i + " is marked valid but its read-write set is malformed", e);
            }
        }
        return updates;
    }

    /** The validation of one block: what its earlier transactions leave for the later ones. */
    private final class BlockRun {
        final long blockNum;
        final WorldState state;
        final Predicate<String> committedTx;
        final UpdateBatch updates;
        final List<TxValidationCode> codes = new ArrayList<>();
        final List<String> txIds = new ArrayList<>();
        /** Ids of the transactions that passed endorsement validation; a later one with the same id is a duplicate. */
        final Set<String> claimedTxIds = new HashSet<>();
        /** namespace → keys whose metadata a transaction that passed endorsement validation writes. */
        final Map<String, Set<String>> metadataWritten = new HashMap<>();

        BlockRun(long blockNum, WorldState state, Predicate<String> committedTx) {
            this.blockNum = blockNum;
            this.state = state;
            this.committedTx = committedTx;
            this.updates = new UpdateBatch(state);
        }

        TxValidationCode validate(Precheck precheck, int txNum) {
            txIds.add(precheck.txId());
            if (precheck.code() != TxValidationCode.VALID) {
                return precheck.code();
            }
            var tx = precheck.tx();
            if (committedTx.test(tx.txId())) {
                return TxValidationCode.DUPLICATE_TXID;
            }
            if (precheck.badRwset()) {
                return TxValidationCode.BAD_RWSET;
            }
            var rwsets = precheck.rwsets();
            var endorsement = endorsementValidation(tx, rwsets, precheck.endorsers());
            if (endorsement != TxValidationCode.VALID) {
                return endorsement;
            }
            if (!claimedTxIds.add(tx.txId())) {
                return TxValidationCode.DUPLICATE_TXID;
            }
            for (var entry : rwsets) {
                var conflict = conflict(entry.getKey(), entry.getValue(), updates);
                if (conflict != TxValidationCode.VALID) {
                    return conflict;
                }
            }
            apply(tx, rwsets, new Version(blockNum, txNum), updates);
            return TxValidationCode.VALID;
        }

        /** Fabric's plugin dispatcher and its default validation plugin, with key-level (state-based) policies. */
        private TxValidationCode endorsementValidation(ParsedTransaction tx, List<Map.Entry<String, KVRWSet>> rwsets,
                                                       List<Identity> endorsers) {
            var action = tx.action();
            var chaincode = tx.chaincodeId().map(id -> id.getName()).orElse("");
            if (chaincode.isEmpty() || !chaincode.equals(action.chaincodeId().getName())
                    || action.chaincodeId().getVersion().isEmpty()) {
                return TxValidationCode.INVALID_CHAINCODE;
            }
            var byNamespace = new LinkedHashMap<String, KVRWSet>();
            for (var entry : rwsets) {
                if (byNamespace.put(entry.getKey(), entry.getValue()) != null) {
                    return TxValidationCode.ILLEGAL_WRITESET;
                }
            }
            // The invoked chaincode is always validated; other namespaces when the transaction writes to them.
            var validated = new ArrayList<String>();
            validated.add(chaincode);
            byNamespace.forEach((namespace, kv) -> {
                if (!namespace.equals(chaincode) && (kv.getWritesCount() > 0 || kv.getMetadataWritesCount() > 0)) {
                    validated.add(namespace);
                }
            });
            if (!chaincodes.containsAll(validated)) {
                return TxValidationCode.INVALID_CHAINCODE;
            }
            for (var namespace : validated) {
                var kv = byNamespace.getOrDefault(namespace, KVRWSet.getDefaultInstance());
                if (!policiesHold(namespace, kv, endorsers)) {
                    return TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
                }
                kv.getMetadataWritesList().forEach(w ->
                        metadataWritten.computeIfAbsent(namespace, n -> new HashSet<>()).add(w.getKey()));
            }
            return TxValidationCode.VALID;
        }

        private boolean policiesHold(String namespace, KVRWSet rwset, List<Identity> endorsers) {
            var written = new TreeSet<String>(KeyOrder.INSTANCE);
            rwset.getWritesList().forEach(w -> written.add(w.getKey()));
            rwset.getMetadataWritesList().forEach(w -> written.add(w.getKey()));
            var updatedInBlock = metadataWritten.getOrDefault(namespace, Set.of());
            if (written.stream().anyMatch(updatedInBlock::contains)) {
                log.debug("block {}: the validation parameter of a key written in {} was updated earlier in the block",
                        blockNum, namespace);
                return false;
            }
            var required = RequiredPolicies.of(written,
                    key -> state.get(namespace, key).flatMap(VersionedValue::validationParameter));
            for (var parameter : required.keyPolicies()) {
                if (!requirements.satisfiesKeyPolicy(parameter, endorsers)) {
                    return false;
                }
            }
            return !required.chaincodePolicy() || requirements.satisfiesChaincodePolicy(namespace, endorsers);
        }
    }

    private boolean signedByCreator(ParsedTransaction tx) {
        try {
            var creator = msps.deserialize(tx.creator());
            return creator.verify(tx.payloadBytes().toByteArray(), tx.signature().toByteArray());
        } catch (InvalidIdentityException e) {
            log.debug("tx {}: creator refused: {}", tx.txId(), e.getMessage());
            return false;
        }
    }

    /** The namespaces of a read-write set in the order given, duplicates included. */
    private static List<Map.Entry<String, KVRWSet>> namespaces(TxReadWriteSet results) throws InvalidProtocolBufferException {
        var namespaces = new ArrayList<Map.Entry<String, KVRWSet>>();
        for (var ns : results.getNsRwsetList()) {
            if (!ns.getCollectionHashedRwsetList().isEmpty()) {
                throw new InvalidProtocolBufferException("private data is not supported");
            }
            namespaces.add(Map.entry(ns.getNamespace(), KVRWSet.parseFrom(ns.getRwset())));
        }
        return namespaces;
    }

    /**
     * Endorsers whose signature is valid, once each, as Fabric's {@code SignatureSetToValidIdentities}: an identity
     * counts from its first valid signature (a bad one before it does not use up its turn).
     */
    private List<Identity> endorsers(ParsedTransaction.Action action) {
        var identities = new ArrayList<Identity>();
        var counted = new HashSet<ByteString>();
        for (var endorsement : action.endorsements()) {
            if (counted.contains(endorsement.getEndorser())) {
                continue;
            }
            try {
                var identity = msps.deserialize(endorsement.getEndorser());
                if (identity.verify(action.endorsementSignedBytes(endorsement), endorsement.getSignature().toByteArray())) {
                    counted.add(endorsement.getEndorser());
                    identities.add(identity);
                }
            } catch (InvalidIdentityException e) {
                log.debug("endorsement by an invalid identity ignored: {}", e.getMessage());
            }
        }
        return identities;
    }

    private static TxValidationCode conflict(String namespace, KVRWSet rwset, UpdateBatch updates) {
        for (var read : rwset.getReadsList()) {
            if (updates.updates(namespace, read.getKey())) {
                return TxValidationCode.MVCC_READ_CONFLICT;
            }
            var current = updates.get(namespace, read.getKey()).map(VersionedValue::version).orElse(null);
            if (!Objects.equals(current, Version.of(read))) {
                return TxValidationCode.MVCC_READ_CONFLICT;
            }
        }
        for (var range : rwset.getRangeQueriesInfoList()) {
            if (phantom(namespace, range, updates)) {
                return TxValidationCode.PHANTOM_READ_CONFLICT;
            }
        }
        return TxValidationCode.VALID;
    }

    private static boolean phantom(String namespace, RangeQueryInfo range, UpdateBatch updates) {
        if (range.hasReadsMerkleHashes()) {
            return true; // devnet's simulator never summarises reads; a foreign summary cannot be re-checked
        }
        var now = updates.range(namespace, range.getStartKey(), range.getEndKey(), !range.getItrExhausted());
        var recorded = range.getRawReads().getKvReadsList();
        if (now.size() != recorded.size()) {
            return true;
        }
        int i = 0;
        for (var entry : now.entrySet()) {
            var read = recorded.get(i++);
            if (!entry.getKey().equals(read.getKey()) || !entry.getValue().version().equals(Version.of(read))) {
                return true;
            }
        }
        return false;
    }

    private static void apply(ParsedTransaction tx, List<Map.Entry<String, KVRWSet>> rwsets, Version version,
                              UpdateBatch updates) {
        var timestamp = Timestamp.newBuilder().setSeconds(tx.timestamp().getEpochSecond())
                .setNanos(tx.timestamp().getNano()).build();
        for (var entry : rwsets) {
            var namespace = entry.getKey();
            var rwset = entry.getValue();
            for (var write : rwset.getWritesList()) {
                if (write.getIsDelete() || write.getValue().isEmpty()) {
                    updates.delete(namespace, write.getKey(), version, tx.txId(), timestamp);
                } else {
                    updates.put(namespace, write.getKey(), write.getValue(), version, tx.txId(), timestamp);
                }
            }
            for (var metadata : rwset.getMetadataWritesList()) {
                var entries = new TreeMap<String, ByteString>();
                metadata.getEntriesList().forEach(e -> entries.put(e.getName(), e.getValue()));
                updates.putMetadata(namespace, metadata.getKey(), entries, version);
            }
        }
    }
}
