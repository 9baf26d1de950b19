package io.gridledger.gateway.api;

import io.gridledger.gateway.agents.NodeHeartbeat;
import io.gridledger.gateway.agents.ReplicaProgress;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Offer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** What the API shows of the provider agents' reports: nodes and their heartbeats, replicas and their steps. */
public final class AgentViews {

    private AgentViews() {
    }

    /**
     * A provider node of this org.
     *
     * @param state           {@code online}, {@code paused}, {@code draining} or {@code offline} (its own word, or
     *                        silence)
     * @param online          a heartbeat arrived within the allowed intervals and it did not say {@code offline}
     * @param runningJobs     replicas running on it, as its latest heartbeat says
     * @param offerId         the offer its agent names
     * @param lastSeen        when its latest heartbeat arrived (epoch ms, the gateway's clock)
     * @param heartbeatAt     when the agent made that heartbeat (epoch ms, the agent's clock)
     * @param offers          its offers on the ledger
     * @param runningReplicas for the org admin only (null for partners: whose jobs run where is not market
     *                        information): the replicas whose latest agent step on this node has not ended the attempt
     */
    @Serdeable
    @Schema(name = "NodeView")
    public record NodeView(String nodeId, String state, boolean online, int runningJobs, int capacity,
                           @Nullable NodeHeartbeat.NodeResources resources, @Nullable String offerId, long lastSeen,
                           long heartbeatAt, List<OfferSummary> offers, @Nullable List<RunningReplica> runningReplicas) {
    }

    /** A replica in progress on a node: its dispatch key ({@code jobId#replica#attempt}) and its latest step. */
    @Serdeable
    @Schema(name = "RunningReplica")
    public record RunningReplica(String dispatchKey, String jobId, int replica, int attempt, String step, long at) {

        static RunningReplica of(ReplicaProgress progress) {
            return new RunningReplica(progress.dispatchKey(), progress.jobId(), progress.replica(), progress.attempt(),
                    progress.step().wireName(), progress.at());
        }
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
     * @param ledgerState    {@code ASSIGNED}, {@code COMMITTED}, {@code REVEALED} or {@code TIMED_OUT}, as the ledger has it
     * @param assignedAt     when the ledger assigned it (epoch s, the transaction's time)
     * @param commitDeadline when its commitment is due (epoch s)
     * @param committedAt    when this attempt's commitment committed (epoch s), if it did
     * @param revealedAt     when this attempt's reveal committed (epoch s), if it did
     * @param verdict        how its work was judged, once the job ended
     * @param agent          the latest step its agent reported for this attempt, if this gateway heard one
     */
    @Serdeable
    @Schema(name = "ReplicaStatus")
    public record ReplicaStatus(int replica, int attempt, int round, String nodeId, String nodeOrg, String offerId,
                                String ledgerState, long assignedAt, long commitDeadline, @Nullable Long committedAt,
                                @Nullable Long revealedAt, @Nullable String verdict, @Nullable AgentStepView agent) {

        static ReplicaStatus of(JobView.ReplicaView replica, @Nullable AgentStepView agent) {
            var a = replica.assignment();
            var state = !a.isActive() ? "TIMED_OUT" : replica.revealed() ? "REVEALED" : replica.committed() ? "COMMITTED" : "ASSIGNED";
            return new ReplicaStatus(a.index(), a.attempt(), a.round(), a.nodeId(), a.nodeOrg(), a.offerId(), state,
                    a.assignedAt(), a.commitDeadline(), replica.committed() ? replica.commit().committedAt() : null,
                    replica.revealed() ? replica.reveal().revealedAt() : null,
                    replica.verdict() == null ? null : replica.verdict().name(), agent);
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
