package io.gridledger.exchange;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Body of {@code POST /api/v1/exchange/jobs/{jobId}/replicas/{replica}/progress}: one step of the replica's run, for
 * the client to follow (answered 202; it changes nothing on the ledger).
 *
 * @param step   one of {@link Step}'s {@linkplain Step#wireName() wire names}: {@code accepted}, {@code pulling},
 *               {@code running}, {@code uploading}, {@code committed}, {@code revealed}, {@code failed}
 * @param reason why, for {@code failed} (at most 1,024 characters); optional otherwise
 * @param at     when the step happened, epoch milliseconds (the node's clock)
 */
public record ProgressRequest(int attempt, String step, String reason, long at) {

    /** The steps of a replica's run, in order ({@code failed} can end it at any point). */
    public enum Step {
        ACCEPTED, PULLING, RUNNING, UPLOADING, COMMITTED, REVEALED, FAILED;

        /** The lower-case name on the wire. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Step> parse(String wireName) {
            return Arrays.stream(values()).filter(step -> step.wireName().equals(wireName)).findFirst();
        }
    }
}
