package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.Reputation;
import io.gridledger.chaincode.ledger.Json;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;

/**
 * Reputation records of provider nodes, laid out like balances so that recording evidence never conflicts: each
 * transaction that judges a node writes the evidence as a key of its own ({@code repDelta org, node, time, txId}),
 * without reading anything, and a node's record is its compacted record plus those entries.
 *
 * <p>Matching reads a node's record only up to entries stamped before a cutoff a little in the past
 * ({@link #forMatching}), so it does not collide with settlements recording new evidence meanwhile; compaction
 * ({@link #compact}) folds old entries into the record so that reads stay short.
 */
public final class ReputationStore {

    private final LedgerState state;

    public ReputationStore(LedgerState state) {
        this.state = state;
    }

    /** A node's whole record: compacted plus every entry. */
    public Reputation ofNode(String org, String nodeId) {
        return upTo(org, nodeId, Long.MAX_VALUE);
    }

    /** A node's record as matching uses it: entries stamped before {@code cutoff} (a few seconds ago). */
    public Reputation forMatching(String org, String nodeId, long cutoff) {
        return upTo(org, nodeId, cutoff);
    }

    /** An org's record: the sum over its nodes. */
    public Reputation ofOrg(String org) {
        var total = Reputation.NONE;
        for (var value : state.scan(Keys.reputationsOfOrg(org), entry -> entry.getValue())) {
            total = total.plus(Json.read(value, Reputation.class));
        }
        for (var value : state.scan(Keys.reputationDeltasOfOrg(org), entry -> entry.getValue())) {
            total = total.plus(Json.read(value, Reputation.class));
        }
        return total;
    }

    /** Records {@code delta} for the node with a blind write of this transaction's own entry. */
    public void add(String org, String nodeId, Reputation delta) {
        if (delta.isEmpty()) {
            return;
        }
        var key = Keys.reputationDelta(org, nodeId, state.now(), state.txId());
        var earlier = state.getOwnWrite(key).map(bytes -> Json.read(bytes, Reputation.class)).orElse(Reputation.NONE);
        state.put(key, earlier.plus(delta));
    }

    /** Folds the node's entries stamped before {@code cutoff} into its record; returns how many. */
    public int compact(String org, String nodeId, long cutoff) {
        var record = state.get(Keys.reputation(org, nodeId), Reputation.class).orElse(Reputation.NONE);
        int folded = 0;
        for (var entry : state.scan(Keys.reputationDeltasOf(org, nodeId), entry -> entry)) {
            if (Keys.timeAttribute(entry.getKey(), 2) >= cutoff) {
                break;
            }
            record = record.plus(Json.read(entry.getValue(), Reputation.class));
            state.delete(entry.getKey());
            folded++;
        }
        if (folded > 0) {
            state.put(Keys.reputation(org, nodeId), record);
        }
        return folded;
    }

    private Reputation upTo(String org, String nodeId, long cutoff) {
        var total = state.get(Keys.reputation(org, nodeId), Reputation.class).orElse(Reputation.NONE);
        // Stop at the first entry at or after the cutoff: the range read then ends before entries still arriving.
        for (var entry : state.scan(Keys.reputationDeltasOf(org, nodeId), entry -> entry)) {
            if (Keys.timeAttribute(entry.getKey(), 2) >= cutoff) {
                break;
            }
            total = total.plus(Json.read(entry.getValue(), Reputation.class));
        }
        return total;
    }
}
