package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * What one matching transaction did ({@code MatchJobs}, {@code MatchQueue}, {@code ReleaseSlots}).
 *
 * @param unmatched jobs it could not place, and why
 * @param skipped   jobs it was given that had nothing to match (already matched, ended, unknown)
 * @param released  jobs whose slots it returned to the market
 */
@Serdeable
public record MatchReport(@Nullable List<Assignment> assignments, @Nullable Map<String, Job.Unmatched> unmatched,
                          @Nullable List<String> skipped, @Nullable List<String> released) {

    public MatchReport {
        assignments = assignments == null ? List.of() : assignments;
        unmatched = unmatched == null ? Map.of() : unmatched;
        skipped = skipped == null ? List.of() : skipped;
        released = released == null ? List.of() : released;
    }
}
