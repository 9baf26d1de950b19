package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.Caller;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/** The admin console's reads (scope {@code admin}): provider nodes and a job's replicas. Translation only. */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "console")
class ConsoleController {

    private final ConsoleService console;

    ConsoleController(ConsoleService console) {
        this.console = console;
    }

    @Get(uri = "/nodes")
    @Operation(summary = "This org's provider nodes", description = "Nodes known from their agents' heartbeats: state "
            + "(offline once heartbeats stopped), running replicas, capacity, resources, when last seen, and their offers "
            + "on the ledger. Admin scope.")
    List<ConsoleViews.NodeView> nodes(@Parameter(hidden = true) Caller caller) {
        return console.nodes(caller);
    }

    @Get(uri = "/jobs/{jobId}/replicas")
    @Operation(summary = "A job's replicas", description = "Each replica (every attempt) with its state on the ledger "
            + "and the latest step its provider's agent reported. Admin scope.")
    List<ConsoleViews.ReplicaStatus> replicas(@Parameter(hidden = true) Caller caller,
                                              @PathVariable @Pattern(regexp = JobsController.JOB_ID) String jobId) {
        return console.replicas(caller, jobId);
    }
}
