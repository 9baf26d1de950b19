package io.gridledger.chaincode.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Chooses offers for a job's replicas.
 *
 * <p>Candidates are offers with a free slot, cheapest first (the market index is ordered by class, price and offer
 * id, so ties are broken by offer id, deterministically), already within the job's price limit. One candidate is
 * one offer however many free slots it has, so the scan budget is spent per offer: an offer with hundreds of
 * cheap slots costs one step, not hundreds. An offer is eligible when it has the resources and labels the job
 * needs, its node is not already serving the job and has not been excluded from it, and its node's reputation
 * reaches the job's floor.
 *
 * <p>Replicas always go to different nodes and to different orgs: the cheapest eligible offer of each org not yet
 * serving the job. Only a client that allowed it ({@code sameOrgReplicas}) gets replicas on nodes of one org, and
 * only when no other org had an eligible offer within the scan; the result says so.
 *
 * <p>Matching reads at most {@code scanLimit} candidates and stops as soon as it has enough offers from enough
 * different orgs, so its cost does not grow with the size of the market.
 */
public final class JobMatcher {

    private JobMatcher() {
    }

    public sealed interface Result permits Matched, Unmatched {
    }

    /** The offers chosen, one per replica; {@code sharedOrg} when two of them (or one and a used org) share an org. */
    public record Matched(List<Replica.Candidate> offers, boolean sharedOrg) implements Result {
    }

    public record Unmatched(Job.Unmatched.Reason reason, String detail, int scanned) implements Result {
    }

    /**
     * @param job          the job to place
     * @param needed       replicas to place now
     * @param unavailable  nodes that may not take a replica (already serving the job, or excluded from it)
     * @param usedOrgs     orgs already serving the job
     * @param candidates   offers of the job's class with a free slot within its price limit, cheapest first
     * @param reputation   reputation score (per-mille) of an offer's node; only asked when the job has a floor
     * @param scanLimit    most candidates to examine
     */
    public static Result match(Job job, int needed, Set<String> unavailable, Set<String> usedOrgs,
                               Iterable<Replica.Candidate> candidates, ToIntFunction<Replica.Candidate> reputation,
                               int scanLimit) {
        boolean sameOrgAllowed = job.verification().sameOrgReplicas();
        var eligible = new ArrayList<Replica.Candidate>();
        var firstOfNewOrg = new LinkedHashMap<String, Replica.Candidate>();
        var repCache = new HashMap<String, Integer>();
        int scanned = 0;
        int lackResources = 0;
        int lackReputation = 0;
        int sameNode = 0;
        int usedOrg = 0;
        String lastShortfall = null;
        // An explicit iterator: a for-each would read one candidate past the limit before stopping, and every read
        // is a ledger read that lands in the transaction's read set.
        var iterator = candidates.iterator();
        while (scanned < scanLimit && iterator.hasNext()) {
            var offer = iterator.next();
            scanned++;
            if (unavailable.contains(offer.nodeId())) {
                sameNode++;
                continue;
            }
            var shortfall = job.spec().resources().shortfallOn(offer.resources());
            if (shortfall.isPresent()) {
                lackResources++;
                lastShortfall = shortfall.get();
                continue;
            }
            if (job.spec().minReputation() > 0
                    && repCache.computeIfAbsent(offer.nodeId(), n -> reputation.applyAsInt(offer)) < job.spec().minReputation()) {
                lackReputation++;
                continue;
            }
            eligible.add(offer);
            if (usedOrgs.contains(offer.org())) {
                usedOrg++;
            } else {
                firstOfNewOrg.putIfAbsent(offer.org(), offer);
            }
            if (firstOfNewOrg.size() >= needed) {
                break;
            }
        }
        var chosen = new ArrayList<Replica.Candidate>();
        var nodes = new HashSet<String>();
        for (var offer : firstOfNewOrg.values()) {
            if (chosen.size() < needed && nodes.add(offer.nodeId())) {
                chosen.add(offer);
            }
        }
        boolean shared = false;
        if (chosen.size() < needed && sameOrgAllowed) {
            for (var offer : eligible) {
                if (chosen.size() < needed && nodes.add(offer.nodeId())) {
                    chosen.add(offer);
                    shared = true;
                }
            }
        }
        if (chosen.size() == needed) {
            return new Matched(List.copyOf(chosen), shared || sharesOrg(chosen, usedOrgs));
        }
        if (scanned == 0) {
            return new Unmatched(Job.Unmatched.Reason.CAPACITY, "no free slot within the price limit", 0);
        }
        var found = "found " + firstOfNewOrg.size() + " eligible org(s) of " + needed + " needed among " + scanned
                + " offer(s) with a free slot";
        if (lackResources >= lackReputation && lackResources >= sameNode + usedOrg && lackResources > 0) {
            return new Unmatched(Job.Unmatched.Reason.RESOURCES,
                    found + "; " + lackResources + " lacked resources (last: " + lastShortfall + ")", scanned);
        }
        if (lackReputation >= sameNode + usedOrg && lackReputation > 0) {
            return new Unmatched(Job.Unmatched.Reason.REPUTATION,
                    found + "; " + lackReputation + " below reputation floor " + job.spec().minReputation(), scanned);
        }
        return new Unmatched(Job.Unmatched.Reason.DIVERSITY, found + "; replicas need provider nodes of distinct orgs"
                + (sameOrgAllowed ? " or at least distinct nodes" : " (the job does not allow sameOrgReplicas)"), scanned);
    }

    private static boolean sharesOrg(List<Replica.Candidate> chosen, Set<String> usedOrgs) {
        var orgs = new HashSet<>(usedOrgs);
        for (var offer : chosen) {
            if (!orgs.add(offer.org())) {
                return true;
            }
        }
        return false;
    }
}
