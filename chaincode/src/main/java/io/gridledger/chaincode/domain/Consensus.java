package io.gridledger.chaincode.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides a replicated job from its replicas' reveals.
 *
 * <p>Agreement is weighed in <em>orgs</em>: several nodes of one org that reveal the same result are one voice,
 * unless the client allowed replicas on one org (then each node is a voice). So an org cannot outvote an honest
 * node with a second node of its own.
 *
 * <ul>
 *   <li>{@link Reached}: some fingerprint has the quorum's weight and no committed replica is still to reveal (or
 *       the reveal window closed): agreeing replicas are paid; dissenters and silent replicas are penalised;</li>
 *   <li>{@link Split}: every replica revealed or fell silent and no fingerprint has the quorum's weight: a
 *       tie-breaker may settle it, else the job fails;</li>
 *   <li>{@link Pending}: a replica may still reveal. The decision always waits for every reveal (or the window),
 *       so that each replica's work is judged on what it revealed and a tie-break knows all sides.</li>
 * </ul>
 */
public final class Consensus {

    private Consensus() {
    }

    public sealed interface Decision permits Reached, Split, Pending {
    }

    public record Reached(String fingerprint, List<ReplicaState> agreeing, List<ReplicaState> dissenting,
                          List<ReplicaState> silent) implements Decision {
    }

    /**
     * @param groups    revealed replicas by fingerprint
     * @param strongest weight of the strongest group: the quorum lacks {@code quorum − strongest}
     * @param silent    committed replicas that did not reveal (only once the window closed)
     */
    public record Split(Map<String, List<ReplicaState>> groups, int strongest, List<ReplicaState> silent)
            implements Decision {

        public List<ReplicaState> revealed() {
            var all = new ArrayList<ReplicaState>();
            groups.values().forEach(all::addAll);
            all.sort(java.util.Comparator.comparingInt(ReplicaState::index));
            return all;
        }
    }

    public record Pending(int waitingFor) implements Decision {
    }

    /**
     * @param active        the job's active replicas (not timed out), one per index
     * @param quorum        weight of agreement needed
     * @param countOrgs     weigh agreement in distinct orgs (true) or nodes
     * @param mayStillReveal whether a committed replica that has not revealed may still do so (its reveal window
     *                       is open); those that may not are silent
     */
    public static Decision decide(List<ReplicaState> active, int quorum, boolean countOrgs,
                                  java.util.function.Predicate<ReplicaState> mayStillReveal) {
        var groups = new TreeMap<String, List<ReplicaState>>();
        var waiting = new ArrayList<ReplicaState>();
        var silent = new ArrayList<ReplicaState>();
        for (var replica : active) {
            if (replica.revealed()) {
                groups.computeIfAbsent(replica.reveal().fingerprint(), f -> new ArrayList<>()).add(replica);
            } else if (replica.committed() && mayStillReveal.test(replica)) {
                waiting.add(replica);
            } else {
                silent.add(replica);
            }
        }
        String best = null;
        int bestWeight = 0;
        for (var group : groups.entrySet()) {
            int weight = weight(group.getValue(), countOrgs);
            if (weight > bestWeight) {
                best = group.getKey();
                bestWeight = weight;
            }
        }
        if (bestWeight >= quorum && waiting.isEmpty()) {
            var agreeing = groups.get(best);
            var dissenting = new ArrayList<ReplicaState>();
            groups.forEach((fingerprint, group) -> {
                if (!fingerprint.equals(agreeing.get(0).reveal().fingerprint())) {
                    dissenting.addAll(group);
                }
            });
            return new Reached(best, List.copyOf(agreeing), List.copyOf(dissenting), List.copyOf(silent));
        }
        if (waiting.isEmpty()) {
            return new Split(groups, bestWeight, List.copyOf(silent));
        }
        return new Pending(waiting.size());
    }

    /** The voice of a group that revealed one fingerprint: its distinct orgs, or its nodes. */
    public static int weight(List<ReplicaState> group, boolean countOrgs) {
        if (!countOrgs) {
            return group.size();
        }
        var orgs = new HashSet<String>();
        group.forEach(r -> orgs.add(r.org()));
        return orgs.size();
    }
}
