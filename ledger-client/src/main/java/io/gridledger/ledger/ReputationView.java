package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * A node's or an org's reputation record, its score (0–1000) and the evidence behind it.
 *
 * @param subject the node id or MSP ID
 */
@Serdeable
public record ReputationView(String subject, Record record, int score, double positiveEvidence, double negativeEvidence) {

    /** Per client org, the credits earned for agreeing work and how many; and the negative evidence counts. */
    @Serdeable
    public record Record(@Nullable Map<String, Earned> earned, long dissented, long noShows, long disputed, long unrated) {
    }

    @Serdeable
    public record Earned(long value, long agreed) {
    }
}
