package io.gridledger.devnet.policy;

import io.gridledger.devnet.msp.Identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses which orgs' peers must endorse a transaction: the smallest set of orgs whose peer endorsements satisfy
 * every policy that applies (the chaincode's, and the key-level policies of the keys the transaction writes), as
 * Fabric's Gateway does when it plans an endorsement.
 *
 * <p>Sets are tried in increasing size; among sets of the smallest size, those with the local org are preferred
 * ({@link #layouts}); {@link #plan(Collection, String)} takes the first of them in MSP ID order, the gateway one at
 * random as Fabric's does. The plan lists the local org first and the others in MSP ID order: the transaction
 * should carry the endorsements in that order, because Fabric's evaluation is greedy and the plan was checked in that
 * order. Plans are cached per distinct set of policies and local org.
 *
 * <pre>{@code
 * var planner = new EndorsementPlanner(Map.of("Org1MSP", org1Peer, "Org2MSP", org2Peer, "Org3MSP", org3Peer));
 * Optional<List<String>> orgs = planner.plan(List.of(chaincodePolicy), "Org1MSP"); // [Org1MSP, Org2MSP]
 * }</pre>
 */
public final class EndorsementPlanner {

    /** Subsets are enumerated: 2^16 is the most this planner will try. */
    public static final int MAX_ORGS = 16;

    private record CacheKey(Set<EndorsementPolicy> policies, String localMspId) {}

    private final Map<String, Identity> peersByMspId;
    private final Map<CacheKey, List<List<String>>> cache = new ConcurrentHashMap<>();

    /**
     * @param peersByMspId one endorsing peer identity per org, keyed by MSP ID
     * @throws IllegalArgumentException with more than {@link #MAX_ORGS} orgs
     */
    public EndorsementPlanner(Map<String, ? extends Identity> peersByMspId) {
        Objects.requireNonNull(peersByMspId, "peersByMspId");
        if (peersByMspId.size() > MAX_ORGS) {
            throw new IllegalArgumentException("at most " + MAX_ORGS + " orgs can be planned for, got "
                    + peersByMspId.size());
        }
        this.peersByMspId = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(peersByMspId));
    }

    /**
     * The smallest set of orgs whose peers together satisfy all {@code policies}, preferring sets that include
     * {@code localMspId}; empty when even all orgs together cannot.
     *
     * @param localMspId the org of the gateway peer, or {@code null} for no preference
     */
    public Optional<List<String>> plan(Collection<? extends EndorsementPolicy> policies, String localMspId) {
        return layouts(policies, localMspId).stream().findFirst();
    }

    /**
     * One of the {@link #layouts} chosen at random, as Fabric's gateway shuffles the layouts discovery gives it
     * (those with the local org first) and takes the first: endorsement load spreads over the orgs instead of
     * always falling on the same one.
     */
    public Optional<List<String>> plan(Collection<? extends EndorsementPolicy> policies, String localMspId,
                                       java.util.random.RandomGenerator random) {
        var layouts = layouts(policies, localMspId);
        return layouts.isEmpty() ? Optional.empty() : Optional.of(layouts.get(random.nextInt(layouts.size())));
    }

    /**
     * Every set of orgs of the smallest size that satisfies all {@code policies}: those with {@code localMspId} if
     * any has it, else all of them; each listed local org first, then in MSP ID order. Empty when even all orgs
     * together cannot satisfy them.
     */
    public List<List<String>> layouts(Collection<? extends EndorsementPolicy> policies, String localMspId) {
        Objects.requireNonNull(policies, "policies");
        var key = new CacheKey(Set.copyOf(policies), localMspId);
        return cache.computeIfAbsent(key, this::search);
    }

    /** {@link #plan(Collection, String)} without a local org. */
    public Optional<List<String>> plan(Collection<? extends EndorsementPolicy> policies) {
        return plan(policies, null);
    }

    /** The peer identities of the orgs of a plan, in plan order. */
    public List<Identity> endorsers(List<String> mspIds) {
        var endorsers = new ArrayList<Identity>(mspIds.size());
        for (String mspId : mspIds) {
            Identity peer = peersByMspId.get(mspId);
            if (peer == null) {
                throw new IllegalArgumentException("no endorsing peer for " + mspId);
            }
            endorsers.add(peer);
        }
        return endorsers;
    }

    private List<List<String>> search(CacheKey key) {
        var candidates = new ArrayList<String>();
        boolean hasLocal = key.localMspId() != null && peersByMspId.containsKey(key.localMspId());
        if (hasLocal) {
            candidates.add(key.localMspId());
        }
        for (String mspId : peersByMspId.keySet()) {
            if (!mspId.equals(key.localMspId())) {
                candidates.add(mspId);
            }
        }
        var policies = List.copyOf(new LinkedHashSet<>(key.policies()));
        int n = candidates.size();
        for (int size = 1; size <= n; size++) {
            var withLocal = new ArrayList<List<String>>();
            var without = new ArrayList<List<String>>();
            int[] chosen = new int[size];
            for (int i = 0; i < size; i++) {
                chosen[i] = i;
            }
            while (true) {
                var orgs = new ArrayList<String>(size);
                for (int index : chosen) {
                    orgs.add(candidates.get(index));
                }
                if (satisfiesAll(policies, endorsers(orgs))) {
                    (hasLocal && chosen[0] == 0 ? withLocal : without).add(List.copyOf(orgs));
                }
                if (!nextCombination(chosen, n)) {
                    break;
                }
            }
            if (!withLocal.isEmpty()) {
                return List.copyOf(withLocal);
            }
            if (!without.isEmpty()) {
                return List.copyOf(without);
            }
        }
        return List.of();
    }

    private static boolean satisfiesAll(List<EndorsementPolicy> policies, List<Identity> endorsers) {
        for (EndorsementPolicy policy : policies) {
            if (!policy.isSatisfiedBy(endorsers)) {
                return false;
            }
        }
        return true;
    }

    /** Advances {@code chosen} to the next combination in lexicographic order; false after the last. */
    private static boolean nextCombination(int[] chosen, int n) {
        int k = chosen.length;
        int i = k - 1;
        while (i >= 0 && chosen[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        chosen[i]++;
        for (int j = i + 1; j < k; j++) {
            chosen[j] = chosen[j - 1] + 1;
        }
        return true;
    }

    @Override
    public String toString() {
        return "EndorsementPlanner" + new LinkedHashMap<>(peersByMspId).keySet();
    }
}
