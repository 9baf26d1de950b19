package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.Caller;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** This org's provider nodes ({@link NodeService}). Translation only. */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "market")
class NodesController {

    private final NodeService nodes;

    NodesController(NodeService nodes) {
        this.nodes = nodes;
    }

    @Get(uri = "/nodes")
    @Operation(summary = "This org's provider nodes", description = "Nodes known from their agents' heartbeats: state "
            + "(offline once it said so or missed gridledger.agent-status.missed-heartbeats intervals), running "
            + "replicas and capacity, resources, when last seen, and their offers on the ledger. Scope offers:read; "
            + "runningReplicas (which jobs run where) only for the org admin, null for partners.")
    List<AgentViews.NodeView> nodes(@Parameter(hidden = true) Caller caller) {
        return nodes.nodes(caller);
    }
}
