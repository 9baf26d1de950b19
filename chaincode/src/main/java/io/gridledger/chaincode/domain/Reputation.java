package io.gridledger.chaincode.domain;

/**
 * A provider's track record and the score matching uses.
 *
 * <p>The score is the lower bound (mean − 2σ) of a Beta(agreed + 1, dissented + timedOut + 1) belief about
 * the probability that the provider's next result is right, in per-mille. It rewards long good records
 * over short ones: a new node scores 0, one agreement 195, ten agreements 763, a hundred agreements and no
 * faults 970.
 *
 * @param completed replicas that delivered a result in a decided job (agreeing or not)
 * @param agreed    results that matched the quorum
 * @param dissented results that contradicted the quorum
 * @param timedOut  assignments that missed their commit or reveal deadline
 */
public record Reputation(long completed, long agreed, long dissented, long timedOut) {

    public static final Reputation NONE = new Reputation(0, 0, 0, 0);

    public Reputation plus(Reputation other) {
        return new Reputation(completed + other.completed, agreed + other.agreed, dissented + other.dissented,
                timedOut + other.timedOut);
    }

    public static Reputation of(Replica.Verdict verdict) {
        return switch (verdict) {
            case AGREED -> new Reputation(1, 1, 0, 0);
            case DISSENTED -> new Reputation(1, 0, 1, 0);
            case NO_SHOW -> new Reputation(0, 0, 0, 1);
            case UNDECIDED -> new Reputation(1, 0, 0, 0);
        };
    }

    /** The score in per-mille (0–1000). */
    public int score() {
        double alpha = agreed + 1.0;
        double beta = dissented + timedOut + 1.0;
        double n = alpha + beta;
        double mean = alpha / n;
        double sigma = Math.sqrt(alpha * beta / (n * n * (n + 1.0)));
        double lower = Math.max(0.0, mean - 2.0 * sigma);
        return (int) Math.floor(lower * 1000.0);
    }
}
