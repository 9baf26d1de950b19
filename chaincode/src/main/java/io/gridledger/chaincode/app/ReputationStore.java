package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.Reputation;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;
import io.gridledger.chaincode.ledger.Shards;


/**
 * Reputation records of provider nodes, each spread over {@link Keys#REPUTATION_SHARDS} keys so that
 * concurrent jobs finishing on one node rarely write the same key. An org's record is the sum over its
 * nodes, read with one range scan.
 */
final class ReputationStore {

    private final LedgerState state;

    ReputationStore(LedgerState state) {
        this.state = state;
    }

    Reputation ofNode(String org, String nodeId) {
        var total = Reputation.NONE;
        for (int shard = 0; shard < Keys.REPUTATION_SHARDS; shard++) {
            total = total.plus(state.get(Keys.reputation(org, nodeId, shard), Reputation.class).orElse(Reputation.NONE));
        }
        return total;
    }

    Reputation ofOrg(String org) {
        var total = Reputation.NONE;
        for (var value : state.scan(Keys.reputationOfOrg(org), entry -> entry.getValue())) {
            total = total.plus(io.gridledger.chaincode.ledger.Json.read(value, Reputation.class));
        }
        return total;
    }

    void add(String org, String nodeId, Reputation delta) {
        int shard = Shards.pick(state.txId(), nodeId, Keys.REPUTATION_SHARDS);
        var key = Keys.reputation(org, nodeId, shard);
        var current = state.get(key, Reputation.class).orElse(Reputation.NONE);
        state.put(key, current.plus(delta));
    }
}
