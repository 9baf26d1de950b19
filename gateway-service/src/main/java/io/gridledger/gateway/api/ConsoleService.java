package io.gridledger.gateway.api;

import io.gridledger.gateway.agents.AgentProgress;
import io.gridledger.gateway.agents.NodeDirectory;
import io.gridledger.gateway.auth.AccessDenied;
import io.gridledger.gateway.auth.ApiTokens;
import io.gridledger.gateway.auth.Caller;
import io.gridledger.gateway.ledger.ContractErrorCode;
import io.gridledger.gateway.ledger.ContractRefusal;
import io.gridledger.gateway.ledger.JobView;
import io.gridledger.gateway.ledger.Ledger;
import io.gridledger.gateway.ledger.Offer;
import io.gridledger.gateway.ledger.PageRequest;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * What the admin console reads ({@code admin} scope, as the org admin identity): this org's provider nodes as their
 * heartbeats and the ledger's offers tell, and a job's replicas with their ledger state and their agents' latest step.
 */
@Singleton
public final class ConsoleService {

    /** Offers read per node (a node has a handful). */
    private static final int OFFERS_PER_NODE = 50;

    private final Ledger ledger;
    private final ApiTokens tokens;
    private final NodeDirectory nodes;
    private final AgentProgress progress;

    ConsoleService(Ledger ledger, ApiTokens tokens, NodeDirectory nodes, AgentProgress progress) {
        this.ledger = ledger;
        this.tokens = tokens;
        this.nodes = nodes;
        this.progress = progress;
    }

    /** The nodes that sent a heartbeat, with their offers on the ledger. */
    public List<ConsoleViews.NodeView> nodes(Caller caller) {
        var admin = AccessDenied.requireAdmin(caller, tokens.adminIdentity());
        var views = new ArrayList<ConsoleViews.NodeView>();
        for (var node : nodes.nodes()) {
            var heartbeat = node.heartbeat();
            List<Offer> offers = ledger.listOffersByNode(admin, heartbeat.nodeId(), PageRequest.first(OFFERS_PER_NODE)).items();
            views.add(new ConsoleViews.NodeView(heartbeat.nodeId(), node.online() ? heartbeat.state().toLowerCase() : "offline",
                    node.online(), heartbeat.runningJobs(), heartbeat.capacity(), heartbeat.resources(), heartbeat.offerId(),
                    node.lastSeen(), heartbeat.at(), offers.stream().map(ConsoleViews.OfferSummary::of).toList()));
        }
        return views;
    }

    /** Every replica of the job the ledger has (each attempt), with the latest step its agent reported for it. */
    public List<ConsoleViews.ReplicaStatus> replicas(Caller caller, String jobId) {
        var admin = AccessDenied.requireAdmin(caller, tokens.adminIdentity());
        JobView view;
        try {
            view = ledger.getJob(admin, jobId);
        } catch (ContractRefusal refusal) {
            if (refusal.code() == ContractErrorCode.NOT_FOUND) {
                throw ApiException.notFound("job " + jobId);
            }
            throw refusal;
        }
        var steps = progress.replicas(jobId);
        return view.replicas().stream().map(replica -> {
            var assignment = replica.assignment();
            var step = steps.stream()
                    .filter(s -> s.replica() == assignment.index() && s.attempt() == assignment.attempt())
                    .findFirst().map(ConsoleViews.AgentStepView::of).orElse(null);
            return ConsoleViews.ReplicaStatus.of(replica, step);
        }).toList();
    }
}
