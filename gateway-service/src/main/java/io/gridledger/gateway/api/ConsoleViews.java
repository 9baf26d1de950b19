package io.gridledger.gateway.api;

import io.gridledger.gateway.agents.NodeHeartbeat;
import io.gridledger.gateway.agents.ReplicaProgress;
import io.gridledger.gateway.ledger.JobView;
import io.gridledger.gateway.ledger.Offer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The admin console's read models. */
public final class ConsoleViews {

    private ConsoleViews() {
    }

    /**
     * A provider node of this org.
     *
     * @param state       {@code online}, {@code paused}, {@code draining} or {@code offline} (its own word, or silence)
     * @param online      a heartbeat arrived within the allowed intervals and it did not say {@code offline}
     * @param offerId     the offer its agent names
     * @param lastSeen    when its latest heartbeat arrived (epoch ms, the gateway's clock)
     * @param heartbeatAt when the agent made that heartbeat (epoch ms, the agent's clock)
     * @param offers      its offers on the ledger
     */
    @Serdeable
    @Schema(name = "NodeView")
    public record NodeView(String nodeId, String state, boolean online, int runningJobs, int capacity,
                           @Nullable NodeHeartbeat.NodeResources resources, @Nullable String offerId, long lastSeen,
                           long heartbeatAt, List<OfferSummary> offers) {
    }

    /** An offer as the ledger has it. */
    @Serdeable
    @Schema(name = "OfferSummary")
    public record OfferSummary(String offerId, String status, String resourceClass, int slots, long unitPrice) {

        static OfferSummary of(Offer offer) {
            return new OfferSummary(offer.offerId(), offer.status().name(), offer.resourceClass(), offer.slots(),
                    offer.unitPrice());
        }
    }

    /**
     * One replica of a job (one attempt of a replica index).
     *
     * @param ledgerState {@code ASSIGNED}, {@code COMMITTED}, {@code REVEALED} or {@code TIMED_OUT}, as the ledger has it
     * @param verdict     how its work was judged, once the job ended
     * @param agent       the latest step its agent reported for this attempt, if this gateway heard one
     */
    @Serdeable
    @Schema(name = "ReplicaStatus")
    public record ReplicaStatus(int replica, int attempt, int round, String nodeId, String nodeOrg, String offerId,
                                long commitDeadline, String ledgerState, @Nullable String verdict,
                                @Nullable AgentStepView agent) {

        static ReplicaStatus of(JobView.ReplicaView replica, @Nullable AgentStepView agent) {
            var a = replica.assignment();
            var state = !a.isActive() ? "TIMED_OUT" : replica.revealed() ? "REVEALED" : replica.committed() ? "COMMITTED" : "ASSIGNED";
            return new ReplicaStatus(a.index(), a.attempt(), a.round(), a.nodeId(), a.nodeOrg(), a.offerId(),
                    a.commitDeadline(), state, replica.verdict() == null ? null : replica.verdict().name(), agent);
        }
    }

    /** A step an agent reported (AGENT-STATUS.md); {@code at} is the agent's clock, epoch ms. */
    @Serdeable
    @Schema(name = "AgentStep")
    public record AgentStepView(String step, @Nullable String reason, @Nullable Integer exitCode, long at, String origin) {

        static AgentStepView of(ReplicaProgress progress) {
            return new AgentStepView(progress.step().wireName(), progress.reason(), progress.exitCode(), progress.at(),
                    progress.origin().name().toLowerCase());
        }
    }
}
