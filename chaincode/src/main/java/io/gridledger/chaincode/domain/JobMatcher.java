package io.gridledger.chaincode.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Chooses free slots for a job's replicas.
 *
 * <p>Candidates come cheapest first (the market index is ordered by class, price, offer id and slot, so
 * ties are broken by offer id, deterministically) and already within the job's price limit. A slot is
 * eligible when it has the resources and labels the job needs, its node is not already serving the job
 * and has not been excluded from it, and its node's reputation reaches the job's floor. Replicas go to
 * different nodes always, and to different orgs whenever the eligible slots allow: first the cheapest
 * slot of each not-yet-used org, then the cheapest remaining slots of other nodes.
 *
 * <p>Matching reads at most {@code scanLimit} candidates and stops as soon as it has enough slots from
 * enough different orgs, so its cost does not grow with the size of the market.
 */
public final class JobMatcher {

    private JobMatcher() {
    }

    public sealed interface Result permits Matched, Unmatched {
    }

    public record Matched(List<Replica.Slot> slots) implements Result {
    }

    public record Unmatched(Job.Unmatched.Reason reason, String detail, int scanned) implements Result {
    }

    /**
     * @param job          the job to place
     * @param needed       replicas to place now
     * @param unavailable  nodes that may not take a replica (already serving the job, or excluded from it)
     * @param usedOrgs     orgs already serving the job
     * @param candidates   free slots of the job's class within its price limit, cheapest first
     * @param reputation   reputation score (per-mille) of a node; only asked when the job has a floor
     * @param scanLimit    most candidates to examine
     */
    public static Result match(Job job, int needed, Set<String> unavailable, Set<String> usedOrgs,
                               Iterable<Replica.Slot> candidates, ToIntFunction<String> reputation, int scanLimit) {
        var eligible = new ArrayList<Replica.Slot>();
        var eligibleNodes = new HashSet<String>();
        var newOrgs = new HashSet<String>();
        var repCache = new LinkedHashMap<String, Integer>();
        int scanned = 0;
        int lackResources = 0;
        int lackReputation = 0;
        int sameNode = 0;
        String lastShortfall = null;
        // An explicit iterator: a for-each would read one candidate past the limit before stopping, and
        // every read is a ledger read that lands in the transaction's read set.
        var iterator = candidates.iterator();
        while (scanned < scanLimit && iterator.hasNext()) {
            var slot = iterator.next();
            scanned++;
            if (unavailable.contains(slot.nodeId())) {
                sameNode++;
                continue;
            }
            var shortfall = job.resources().shortfallOn(slot.resources());
            if (shortfall.isPresent()) {
                lackResources++;
                lastShortfall = shortfall.get();
                continue;
            }
            if (job.minReputation() > 0
                    && repCache.computeIfAbsent(slot.nodeId(), reputation::applyAsInt) < job.minReputation()) {
                lackReputation++;
                continue;
            }
            eligible.add(slot);
            eligibleNodes.add(slot.nodeId());
            if (!usedOrgs.contains(slot.org())) {
                newOrgs.add(slot.org());
            }
            if (newOrgs.size() >= needed) {
                break;
            }
        }
        var chosen = pick(eligible, needed, usedOrgs);
        if (chosen.size() == needed) {
            return new Matched(chosen);
        }
        if (scanned == 0) {
            return new Unmatched(Job.Unmatched.Reason.CAPACITY, "no free slot within the price limit", 0);
        }
        var found = "found " + eligibleNodes.size() + " eligible node(s) of " + needed + " needed among " + scanned
                + " free slot(s)";
        if (lackResources >= lackReputation && lackResources >= sameNode && lackResources > 0) {
            return new Unmatched(Job.Unmatched.Reason.RESOURCES,
                    found + "; " + lackResources + " lacked resources (last: " + lastShortfall + ")", scanned);
        }
        if (lackReputation >= sameNode && lackReputation > 0) {
            return new Unmatched(Job.Unmatched.Reason.REPUTATION,
                    found + "; " + lackReputation + " below reputation floor " + job.minReputation(), scanned);
        }
        return new Unmatched(Job.Unmatched.Reason.DIVERSITY,
                found + "; replicas need distinct provider nodes", scanned);
    }

    private static List<Replica.Slot> pick(List<Replica.Slot> eligible, int needed, Set<String> usedOrgs) {
        var chosen = new ArrayList<Replica.Slot>();
        Set<String> nodes = new HashSet<>();
        Set<String> orgs = new HashSet<>(usedOrgs);
        for (var slot : eligible) {
            if (chosen.size() < needed && !nodes.contains(slot.nodeId()) && !orgs.contains(slot.org())) {
                chosen.add(slot);
                nodes.add(slot.nodeId());
                orgs.add(slot.org());
            }
        }
        for (var slot : eligible) {
            if (chosen.size() < needed && !nodes.contains(slot.nodeId())) {
                chosen.add(slot);
                nodes.add(slot.nodeId());
            }
        }
        return chosen;
    }
}
