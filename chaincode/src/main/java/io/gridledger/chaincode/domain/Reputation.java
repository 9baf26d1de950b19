package io.gridledger.chaincode.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * A provider's track record and the score matching uses. Reputation is earned, not chosen: only agreeing work
 * that a client of <em>another</em> org paid for counts as positive evidence, weighed by the credits paid and
 * capped per client org, so self-dealing, free jobs and one friendly counterparty cannot raise a score.
 *
 * <p><b>Score</b> (per-mille, 0–1000): with {@code U = reputationUnitCredits} and {@code C = reputationCapPerOrg},
 * <pre>
 *   A = Σ over client orgs o of min(value_o / U, C)          positive evidence
 *   B = dissented + noShows + disputed / 2                   negative evidence
 *   score = ⌊1000 · max(0, μ − 2σ)⌋  of the Beta(A + 1, B + 1) belief that the next result is right
 * </pre>
 * i.e. the lower bound of the belief, which rewards long good records over short ones: no evidence scores 0, one
 * unit 195, ten units 763, a hundred units and no faults 970.
 *
 * @param earned    per client org (never the node's own): credits paid for agreeing results, and how many
 * @param dissented results that contradicted the quorum
 * @param noShows   assignments missed (no commit in time, or no reveal in the window)
 * @param disputed  splits no tie-breaker could settle (recorded against every side)
 * @param unrated   agreeing results that earn nothing: the client was of the node's own org, or paid nothing
 */
public record Reputation(Map<String, Earned> earned, long dissented, long noShows, long disputed, long unrated) {

    public static final Reputation NONE = new Reputation(Map.of(), 0, 0, 0, 0);

    /** What agreeing work for clients of one org earned. */
    public record Earned(long value, long agreed) {
        Earned plus(Earned other) {
            return new Earned(Math.addExact(value, other.value), Math.addExact(agreed, other.agreed));
        }
    }

    public Reputation {
        earned = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(earned == null ? Map.of() : earned));
    }

    /**
     * The evidence one judged replica adds to its node's record.
     *
     * @param clientOrg the job's client org
     * @param nodeOrg   the provider node's org
     * @param paid      credits the replica was paid
     */
    public static Reputation of(Verdict verdict, String clientOrg, String nodeOrg, long paid) {
        return switch (verdict) {
            case AGREED -> paid > 0 && !clientOrg.equals(nodeOrg)
                    ? new Reputation(Map.of(clientOrg, new Earned(paid, 1)), 0, 0, 0, 0)
                    : new Reputation(Map.of(), 0, 0, 0, 1);
            case DISSENTED -> new Reputation(Map.of(), 1, 0, 0, 0);
            case NO_SHOW -> new Reputation(Map.of(), 0, 1, 0, 0);
            case DISPUTED -> new Reputation(Map.of(), 0, 0, 1, 0);
            case UNDECIDED -> NONE;
        };
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    public Reputation plus(Reputation other) {
        var sum = new TreeMap<>(earned);
        other.earned.forEach((org, e) -> sum.merge(org, e, Earned::plus));
        return new Reputation(sum, dissented + other.dissented, noShows + other.noShows, disputed + other.disputed,
                unrated + other.unrated);
    }

    /** Agreeing results that earned reputation. */
    public long agreed() {
        return earned.values().stream().mapToLong(Earned::agreed).sum();
    }

    /** Positive evidence {@code A}: paid value per client org in units, each org capped. */
    public double positiveEvidence(long unitCredits, int capPerOrg) {
        double total = 0;
        for (var e : earned.values()) {
            total += Math.min((double) e.value() / unitCredits, capPerOrg);
        }
        return total;
    }

    /** Negative evidence {@code B}. */
    public double negativeEvidence() {
        return dissented + noShows + disputed / 2.0;
    }

    /** The score in per-mille (0–1000) under the given weights. */
    public int score(long unitCredits, int capPerOrg) {
        double alpha = positiveEvidence(unitCredits, capPerOrg) + 1.0;
        double beta = negativeEvidence() + 1.0;
        double n = alpha + beta;
        double mean = alpha / n;
        double sigma = Math.sqrt(alpha * beta / (n * n * (n + 1.0)));
        double lower = Math.max(0.0, mean - 2.0 * sigma);
        return (int) Math.floor(lower * 1000.0);
    }

    public int score(Params params) {
        return score(params.reputationUnitCredits(), params.reputationCapPerOrg());
    }
}
