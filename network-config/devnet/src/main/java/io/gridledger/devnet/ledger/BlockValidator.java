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
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
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
 * Validates a block's transactions in order, as a Fabric peer's committer does, and gathers the state updates of
 * the valid ones. Each transaction gets one {@link TxValidationCode}:
 * <ul>
 *   <li>structure ({@code NIL_ENVELOPE}, {@code BAD_PAYLOAD}, {@code BAD_COMMON_HEADER}, {@code BAD_RWSET}…),
 *       wrong channel ({@code TARGET_CHAIN_NOT_FOUND}), type ({@code UNKNOWN_TX_TYPE});</li>
 *   <li>{@code BAD_PROPOSAL_TXID} when the id is not hex(SHA-256(nonce ‖ creator)), {@code DUPLICATE_TXID} when it
 *       is already on the ledger or earlier in the block;</li>
 *   <li>{@code BAD_CREATOR_SIGNATURE} when the creator is not a valid channel identity or did not sign;</li>
 *   <li>{@code ENDORSEMENT_POLICY_FAILURE} when the valid endorsements do not satisfy the key-level policy of
 *       every written key that has one and, if any written key has none (or nothing is written), the chaincode's
 *       policy; {@code ILLEGAL_WRITESET} for writes outside a defined chaincode's namespace;</li>
 *   <li>{@code MVCC_READ_CONFLICT} when a read key changed since simulation (including by an earlier valid
 *       transaction of the same block), {@code PHANTOM_READ_CONFLICT} when a range query would now return
 *       something else.</li>
 * </ul>
 * Policies use the key-level policies as of the transaction's position in the block, so a policy changed by an
 * earlier valid transaction applies to later ones.
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
     * @param committedTx whether a transaction id is already committed on the channel
     */
    public ValidatedBlock validate(Block block, WorldState state, Predicate<String> committedTx) {
        long blockNum = block.getHeader().getNumber();
        var updates = new UpdateBatch(state);
        var codes = new ArrayList<TxValidationCode>();
        var txIds = new ArrayList<String>();
        var seen = new HashSet<String>();
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            codes.add(validateOne(block.getData().getData(i), blockNum, i, updates, seen, committedTx, txIds));
        }
        return new ValidatedBlock(codes, txIds, updates);
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

    private TxValidationCode validateOne(ByteString envelope, long blockNum, int txNum, UpdateBatch updates,
                                         Set<String> seen, Predicate<String> committedTx, List<String> txIds) {
        ParsedTransaction tx;
        try {
            tx = Envelopes.parse(envelope);
        } catch (MalformedTransactionException e) {
            log.debug("block {} tx {}: {}", blockNum, txNum, e.getMessage());
            txIds.add(Envelopes.txId(envelope).orElse(""));
            return e.validationCode();
        }
        txIds.add(tx.txId());
        if (!channelId.equals(tx.channelId())) {
            return TxValidationCode.TARGET_CHAIN_NOT_FOUND;
        }
        if (!tx.isEndorserTransaction()) {
            return TxValidationCode.UNKNOWN_TX_TYPE;
        }
        if (!tx.txIdMatchesNonceAndCreator()) {
            return TxValidationCode.BAD_PROPOSAL_TXID;
        }
        if (!seen.add(tx.txId()) || committedTx.test(tx.txId())) {
            return TxValidationCode.DUPLICATE_TXID;
        }
        try {
            var creator = msps.deserialize(tx.creator());
            if (!creator.verify(tx.payloadBytes().toByteArray(), tx.signature().toByteArray())) {
                return TxValidationCode.BAD_CREATOR_SIGNATURE;
            }
        } catch (InvalidIdentityException e) {
            log.debug("tx {}: creator refused: {}", tx.txId(), e.getMessage());
            return TxValidationCode.BAD_CREATOR_SIGNATURE;
        }
        var action = tx.action();
        if (!action.proposalHashMatches()) {
            return TxValidationCode.INVALID_ENDORSER_TRANSACTION;
        }
        Map<String, KVRWSet> rwsets;
        try {
            rwsets = namespaces(action.results());
        } catch (InvalidProtocolBufferException e) {
            return TxValidationCode.BAD_RWSET;
        }
        var chaincode = action.chaincodeId().getName();
        if (!chaincodes.contains(chaincode)) {
            return TxValidationCode.INVALID_CHAINCODE;
        }
        for (var entry : rwsets.entrySet()) {
            var kv = entry.getValue();
            boolean writes = kv.getWritesCount() > 0 || kv.getMetadataWritesCount() > 0;
            if (writes && !entry.getKey().equals(chaincode)) {
                return TxValidationCode.ILLEGAL_WRITESET;
            }
        }
        var endorsers = endorsers(action);
        if (!policiesHold(chaincode, rwsets.get(chaincode), endorsers, updates)) {
            return TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
        }
        for (var entry : rwsets.entrySet()) {
            var conflict = conflict(entry.getKey(), entry.getValue(), updates);
            if (conflict != TxValidationCode.VALID) {
                return conflict;
            }
        }
        apply(tx, rwsets, new Version(blockNum, txNum), updates);
        return TxValidationCode.VALID;
    }

    private static Map<String, KVRWSet> namespaces(org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet results)
            throws InvalidProtocolBufferException {
        var map = new LinkedHashMap<String, KVRWSet>();
        for (var ns : results.getNsRwsetList()) {
            if (!ns.getCollectionHashedRwsetList().isEmpty()) {
                throw new InvalidProtocolBufferException("private data is not supported");
            }
            map.put(ns.getNamespace(), KVRWSet.parseFrom(ns.getRwset()));
        }
        return map;
    }

    /** Endorsers whose signature is valid, once each (Fabric de-duplicates endorsements by identity). */
    private List<Identity> endorsers(ParsedTransaction.Action action) {
        var identities = new ArrayList<Identity>();
        var seen = new HashSet<ByteString>();
        for (var endorsement : action.endorsements()) {
            if (!seen.add(endorsement.getEndorser())) {
                continue;
            }
            try {
                var identity = msps.deserialize(endorsement.getEndorser());
                if (identity.verify(action.endorsementSignedBytes(endorsement), endorsement.getSignature().toByteArray())) {
                    identities.add(identity);
                }
            } catch (InvalidIdentityException e) {
                log.debug("endorsement by an invalid identity ignored: {}", e.getMessage());
            }
        }
        return identities;
    }

    private boolean policiesHold(String chaincode, KVRWSet rwset, List<Identity> endorsers, UpdateBatch updates) {
        var written = new TreeSet<String>(KeyOrder.INSTANCE);
        if (rwset != null) {
            rwset.getWritesList().forEach(w -> written.add(w.getKey()));
            rwset.getMetadataWritesList().forEach(w -> written.add(w.getKey()));
        }
        var required = RequiredPolicies.of(written,
                key -> updates.get(chaincode, key).flatMap(VersionedValue::validationParameter));
        for (var parameter : required.keyPolicies()) {
            if (!requirements.satisfiesKeyPolicy(parameter, endorsers)) {
                return false;
            }
        }
        return !required.chaincodePolicy() || requirements.satisfiesChaincodePolicy(chaincode, endorsers);
    }

    private static TxValidationCode conflict(String namespace, KVRWSet rwset, UpdateBatch updates) {
        for (var read : rwset.getReadsList()) {
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

    private static void apply(ParsedTransaction tx, Map<String, KVRWSet> rwsets, Version version, UpdateBatch updates) {
        var timestamp = Timestamp.newBuilder().setSeconds(tx.timestamp().getEpochSecond())
                .setNanos(tx.timestamp().getNano()).build();
        rwsets.forEach((namespace, rwset) -> {
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
        });
    }
}
