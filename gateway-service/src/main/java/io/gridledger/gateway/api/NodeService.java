package io.gridledger.gateway.api;

import io.gridledger.gateway.agents.AgentProgress;
import io.gridledger.gateway.agents.NodeDirectory;
import io.gridledger.gateway.auth.AccessDenied;
import io.gridledger.gateway.auth.ApiTokens;
import io.gridledger.gateway.auth.Caller;
import io.gridledger.gateway.auth.Scope;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.PageRequest;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This org's provider nodes as their agents' heartbeats and the ledger's offers tell.
 *
 * <p>Who sees what: a node's state, load ({@code runningJobs} of {@code capacity}), resources, last heartbeat and
 * offers are market information — the ledger already shows every member the offers and their free slots — so any
 * partner with the {@code offers:read} scope reads them. Which jobs run on which node is not: only the org admin
 * (scope {@code admin}, acting as the org admin identity) gets {@code runningReplicas}.
 */
@Singleton
public final class NodeService {

    /** Offers read per node (a node has a handful). */
    private static final int OFFERS_PER_NODE = 50;

    private final Ledger ledger;
    private final ApiTokens tokens;
    private final NodeDirectory nodes;
    private final AgentProgress progress;

    NodeService(Ledger ledger, ApiTokens tokens, NodeDirectory nodes, AgentProgress progress) {
        this.ledger = ledger;
        this.tokens = tokens;
        this.nodes = nodes;
        this.progress = progress;
    }

    /** The nodes that sent a heartbeat, by node id, with their offers on the ledger. */
    public List<AgentViews.NodeView> nodes(Caller caller) {
        boolean admin = caller.isAdmin();
        var identity = admin ? AccessDenied.requireAdmin(caller, tokens.adminIdentity()) : caller.identity();
        if (!admin) {
            AccessDenied.requireScope(caller, Scope.OFFERS_READ);
        }
        var views = new ArrayList<AgentViews.NodeView>();
        for (var node : nodes.nodes()) {
            var heartbeat = node.heartbeat();
            List<Offer> offers = ledger.listOffersByNode(identity, heartbeat.nodeId(), PageRequest.first(OFFERS_PER_NODE)).items();
            var running = admin ? progress.inProgressOn(heartbeat.nodeId()).stream().map(AgentViews.RunningReplica::of).toList() : null;
            views.add(new AgentViews.NodeView(heartbeat.nodeId(),
                    node.online() ? heartbeat.state().toLowerCase(Locale.ROOT) : "offline", node.online(),
                    heartbeat.runningJobs(), heartbeat.capacity(), heartbeat.resources(), heartbeat.offerId(),
                    node.lastSeen(), heartbeat.at(), offers.stream().map(AgentViews.OfferSummary::of).toList(), running));
        }
        return views;
    }
}
