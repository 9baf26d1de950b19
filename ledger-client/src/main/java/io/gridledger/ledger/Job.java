package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * A job contract as the ledger records it: the client's spec, escrow, terms and where it is in its life
 * ({@code QUEUED → RUNNING(COMMIT → REVEAL | TIEBREAK) → COMPLETED | FAILED | CANCELLED}).
 *
 * @param clientId       the submitting account, {@code <MSP ID>/<CN>}
 * @param clientOrg      the client's org: whose gateway drives the job first
 * @param round          0 for the initial replicas, 1 once tie-breakers were added
 * @param replicaCount   replica indexes assigned so far
 * @param tieBreakers    tie-breakers waiting to be matched (phase TIEBREAK)
 * @param revealDeadline end of the reveal window once expiry closed the commit phase (0 before)
 */
@Serdeable
public record Job(String jobId, String clientId, String clientOrg, JobSpec spec, long microUnits, long escrowed,
                  Terms terms, Status status, Phase phase, int round, int replicaCount, int tieBreakers, long createdAt,
                  long updatedAt, long revealDeadline, @Nullable List<String> excludedNodes, @Nullable List<Hold> holds,
                  boolean sharedOrg, @Nullable Unmatched unmatched, @Nullable Outcome outcome) {

    public enum Status { QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED }

    public enum Phase { NONE, COMMIT, REVEAL, TIEBREAK }

    public boolean isFinished() {
        return status == Status.COMPLETED || status == Status.FAILED || status == Status.CANCELLED;
    }

    /** Whether matching has work for it: queued, or waiting for tie-breakers. */
    public boolean awaitsMatching() {
        return status == Status.QUEUED || status == Status.RUNNING && phase == Phase.TIEBREAK;
    }

    public String resourceClass() {
        return spec.resources().resourceClass();
    }

    /** The last moment a replica can be assigned and still finish by the deadline. */
    public long latestStart() {
        return spec.deadline() - spec.timeoutSeconds() - terms.commitGraceSeconds();
    }

    /** Why a waiting job was not matched: the constraint that failed. */
    @Serdeable
    public record Unmatched(Reason reason, @Nullable String detail, long checkedAt) {
        public enum Reason { RESOURCES, PRICE, CAPACITY, REPUTATION, DIVERSITY, DEADLINE }
    }

    /** A slot the job holds or held ({@code ended} once the attempt holding it timed out). */
    @Serdeable
    public record Hold(String offerId, int slot, int replica, int attempt, boolean ended) {
    }

    /** How a finished job ended: verdicts per replica index, payments and slashing per node, fee, refund. */
    @Serdeable
    public record Outcome(@Nullable String fingerprint, long runtimeSeconds, @Nullable String reason,
                          @Nullable Map<String, Verdict> verdicts, @Nullable Map<String, Long> payments, long fee,
                          long refund, @Nullable Map<String, Long> slashed) {
    }
}
