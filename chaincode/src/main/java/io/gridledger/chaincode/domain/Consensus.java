package io.gridledger.chaincode.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides a replicated job from its replicas' reveals.
 *
 * <ul>
 *   <li>{@link Reached}: some digest was revealed by at least {@code quorum} replicas and no committed
 *       replica is still to reveal (or the reveal window closed) — agreeing replicas are paid, dissenters
 *       and silent replicas are penalised;</li>
 *   <li>{@link Impossible}: even if every replica still to reveal agreed with the most common digest, it
 *       could not reach the quorum;</li>
 *   <li>{@link Pending}: wait for more reveals.</li>
 * </ul>
 */
public final class Consensus {

    private Consensus() {
    }

    public sealed interface Decision permits Reached, Impossible, Pending {
    }

    public record Reached(String digest, List<Replica> agreeing, List<Replica> dissenting, List<Replica> silent)
            implements Decision {
    }

    public record Impossible(List<Replica> revealed, List<Replica> silent) implements Decision {
    }

    public record Pending() implements Decision {
    }

    /**
     * @param replicas        the job's current replicas (one per index)
     * @param quorum          reveals of one digest needed
     * @param windowClosed    true when the reveal window has passed: replicas that have not revealed are silent
     */
    public static Decision decide(List<Replica> replicas, int quorum, boolean windowClosed) {
        Map<String, List<Replica>> byDigest = new TreeMap<>();
        var waiting = new ArrayList<Replica>();
        var revealed = new ArrayList<Replica>();
        for (var replica : replicas) {
            if (replica.status() == Replica.Status.REVEALED) {
                byDigest.computeIfAbsent(replica.digest(), d -> new ArrayList<>()).add(replica);
                revealed.add(replica);
            } else {
                waiting.add(replica);
            }
        }
        String best = null;
        int bestCount = 0;
        for (var entry : byDigest.entrySet()) {
            if (entry.getValue().size() > bestCount) {
                best = entry.getKey();
                bestCount = entry.getValue().size();
            }
        }
        boolean stillToReveal = !windowClosed && waiting.stream().anyMatch(r -> r.status() == Replica.Status.COMMITTED);
        if (bestCount >= quorum && !stillToReveal) {
            var agreeing = byDigest.get(best);
            var dissenting = revealed.stream().filter(r -> !r.digest().equals(agreeingDigest(agreeing))).toList();
            return new Reached(best, List.copyOf(agreeing), dissenting, List.copyOf(waiting));
        }
        int couldStillCome = windowClosed ? 0
                : (int) waiting.stream().filter(r -> r.status() == Replica.Status.COMMITTED).count();
        if (bestCount + couldStillCome < quorum) {
            return new Impossible(List.copyOf(revealed), List.copyOf(waiting));
        }
        return new Pending();
    }

    private static String agreeingDigest(List<Replica> agreeing) {
        return agreeing.get(0).digest();
    }
}
