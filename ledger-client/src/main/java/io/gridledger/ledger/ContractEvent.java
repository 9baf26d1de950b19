package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * The one event a GridLedger transaction sets (its payload): fields that do not apply are absent (empty here).
 *
 * @param type          {@code JobSubmitted}, {@code JobsMatched}, {@code ResultRevealed}, {@code OfferPublished}, …
 * @param jobIds        jobs the transaction changed
 * @param statuses      new status of each changed job
 * @param assignments   replicas the transaction assigned
 * @param resourceClass market segment where capacity or demand changed
 * @param replica       the replica a commit or reveal was for
 * @param released      jobs whose slots the transaction returned to the market
 * @param proposalId    the governance proposal the transaction proposed, approved or applied
 */
@Serdeable
public record ContractEvent(String type, @Nullable List<String> jobIds, @Nullable Map<String, String> statuses,
                            @Nullable List<Assignment> assignments, @Nullable String resourceClass,
                            @Nullable String offerId, @Nullable Integer replica, @Nullable List<String> released,
                            @Nullable String proposalId) {

    public ContractEvent {
        jobIds = jobIds == null ? List.of() : jobIds;
        statuses = statuses == null ? Map.of() : statuses;
        assignments = assignments == null ? List.of() : assignments;
        released = released == null ? List.of() : released;
    }
}
