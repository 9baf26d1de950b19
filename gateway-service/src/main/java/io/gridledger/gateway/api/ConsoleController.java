package io.gridledger.gateway.api;

import io.micronaut.context.annotation.Requires;
import io.gridledger.ledger.Ledger;
import io.gridledger.gateway.auth.Caller;
import io.gridledger.gateway.insights.ConsoleProjection;
import io.gridledger.gateway.insights.InsightViews;
import io.gridledger.gateway.insights.InsightsService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import java.util.List;

/**
 * The admin console's consortium-wide endpoints (console-api.md), answered from the gateway's projection of the
 * ledger ({@link InsightsService}), and a finished job's certification (its block's record of the transaction that
 * ended it). Translation only.
 */
@Requires(beans = Ledger.class)
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "console")
class ConsoleController {

    private static final String ADMIN_ONLY = " Admin scope (an org admin's token); other callers get 403.";
    private final InsightsService insights;
    private final JobService jobs;
    private final ConsoleProjection projection;
    private final SseSettings sse;

    ConsoleController(InsightsService insights, JobService jobs, ConsoleProjection projection, SseSettings sse) {
        this.insights = insights;
        this.jobs = jobs;
        this.projection = projection;
        this.sse = sse;
    }

    @Get(uri = "/admin/overview")
    @Operation(summary = "The consortium at a glance", description = "Jobs by status, credits in escrow, the treasury, "
            + "stakes, provider nodes known and online, alerts of the last hour, as of a ledger block." + ADMIN_ONLY)
    @ApiResponse(responseCode = "200", description = "the overview",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InsightViews.Overview.class)))
    InsightViews.Overview overview(@Parameter(hidden = true) Caller caller) {
        return insights.overview(caller);
    }

    @Get(uri = "/admin/series{?minutes}")
    @Operation(summary = "Jobs per minute", description = "One-minute buckets of the last `minutes` (1–1440), oldest "
            + "first, empty ones included: jobs submitted, completed, failed, cancelled, and the p50/p95 submit-to-end "
            + "latency of those that ended in the minute (null when none)." + ADMIN_ONLY)
    @ApiResponse(responseCode = "200", description = "the series",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InsightViews.Series.class)))
    @ApiResponse(responseCode = "400", description = "minutes out of range", content = @Content(schema = @Schema(implementation = ApiError.class)))
    InsightViews.Series series(@Parameter(hidden = true) Caller caller,
                               @QueryValue(defaultValue = "60") @Parameter(description = "1–1440") int minutes) {
        return insights.series(caller, minutes);
    }

    @Get(uri = "/admin/alerts{?pageSize,cursor}")
    @Operation(summary = "Alerts, newest first", description = "Replicas that timed out or dissented, nodes slashed, "
            + "jobs failed; a page at a time (pageSize 1–200, nextCursor continues)." + ADMIN_ONLY)
    @ApiResponse(responseCode = "200", description = "a page of alerts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InsightViews.AlertPage.class)))
    @ApiResponse(responseCode = "400", description = "bad pageSize or cursor", content = @Content(schema = @Schema(implementation = ApiError.class)))
    InsightViews.AlertPage alerts(@Parameter(hidden = true) Caller caller,
                                  @QueryValue(defaultValue = "50") int pageSize, @QueryValue @Nullable String cursor) {
        return insights.alerts(caller, pageSize, cursor);
    }

    @Get(uri = "/admin/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(summary = "Server-Sent Events of the whole ledger", description = "`ledger` once per block with "
            + "chaincode events (`{\"blockNumber\":n,\"kinds\":[…]}`) after the projection applied it, `alert` with each "
            + "alert as it is projected; comment lines keep an idle stream alive." + ADMIN_ONLY)
    @ApiResponse(responseCode = "200", description = "text/event-stream of ledger and alert events",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(implementation = InsightViews.LedgerBlock.class)))
    Publisher<Event<Object>> events(@Parameter(hidden = true) Caller caller) {
        insights.overview(caller); // the admin check, before the stream opens
        Flux<Event<Object>> blocks = projection.blocks().map(b -> Event.<Object>of(b).name("ledger"));
        Flux<Event<Object>> alerts = projection.alerts().map(a -> Event.<Object>of(a).name("alert").id(a.id()));
        return ServerSentEvents.withKeepAlive(Flux.merge(blocks, alerts), sse.keepAlive());
    }

    @Get(uri = "/admin/offers{?class,node,org,status,sort,pageSize,cursor}")
    @Operation(summary = "Every offer of the consortium", description = "Each offer with the slots its replicas hold "
            + "now and its node's reputation (0–1); filtered by resource class, node, org, status (default: all but "
            + "WITHDRAWN); sorted by price, reputation or inUse (a leading - for descending; default offerId)." + ADMIN_ONLY)
    @ApiResponse(responseCode = "200", description = "a page of offers",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InsightViews.OfferPage.class)))
    @ApiResponse(responseCode = "400", description = "a bad filter, sort, pageSize or cursor", content = @Content(schema = @Schema(implementation = ApiError.class)))
    InsightViews.OfferPage offers(@Parameter(hidden = true) Caller caller,
                                  @QueryValue("class") @Nullable String resourceClass, @QueryValue @Nullable String node,
                                  @QueryValue @Nullable String org,
                                  @QueryValue @Nullable @Parameter(description = "ACTIVE, PAUSED or WITHDRAWN") String status,
                                  @QueryValue @Nullable @Parameter(description = "price, -price, reputation, -reputation, inUse, -inUse") String sort,
                                  @QueryValue(defaultValue = "50") int pageSize, @QueryValue @Nullable String cursor) {
        return insights.offers(caller, resourceClass, node, org, status, sort, pageSize, cursor);
    }

    @Get(uri = "/admin/nodes")
    @Operation(summary = "The provider nodes' leaderboard", description = "Best reputation first (at most 200): "
            + "verdict counts, credits paid and slashed, offers and stake, online." + ADMIN_ONLY)
    @ApiResponse(responseCode = "200", description = "the leaderboard", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            array = @ArraySchema(schema = @Schema(implementation = InsightViews.NodeRow.class))))
    List<InsightViews.NodeRow> nodes(@Parameter(hidden = true) Caller caller) {
        return insights.nodes(caller);
    }

    @Get(uri = "/admin/nodes/{nodeId:.+}")
    @Operation(summary = "One provider node", description = "Its leaderboard row, its offers, its score after each "
            + "change (oldest first, ≤ 500) and its latest judged replicas (newest first, ≤ 200). The node id is its "
            + "account, `<MSP ID>/<CN>` (URL-encode the slash or not). 404 for a node the ledger never showed." + ADMIN_ONLY)
    @ApiResponse(responseCode = "200", description = "the node",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InsightViews.NodeDetail.class)))
    @ApiResponse(responseCode = "404", description = "unknown node", content = @Content(schema = @Schema(implementation = ApiError.class)))
    InsightViews.NodeDetail node(@Parameter(hidden = true) Caller caller,
                                 @PathVariable @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:@/-]{0,255}") String nodeId) {
        return insights.node(caller, nodeId);
    }

    @Get(uri = "/admin/proposals")
    @Operation(summary = "Governance proposals, newest first", description = "Each with its approvals, the approvals it "
            + "needs, the members, and the parameters it changes (from the version it amends); OPEN past its expiry is "
            + "EXPIRED." + ADMIN_ONLY)
    @ApiResponse(responseCode = "200", description = "the proposals", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            array = @ArraySchema(schema = @Schema(implementation = InsightViews.ProposalRow.class))))
    List<InsightViews.ProposalRow> proposals(@Parameter(hidden = true) Caller caller) {
        return insights.proposals(caller);
    }

    @Get(uri = "/jobs/{jobId}/certification")
    @Operation(summary = "Who certified a finished job", description = "The transaction that ended the job (SettleJob, "
            + "ExpireJob or CancelJob) as its block records it: block, validation code, function, the endorsing orgs and "
            + "each endorser's certificate subject, when it was made. For the job's client and its org's admin; 409 "
            + "JOB_NOT_FINISHED before the job ended.")
    @ApiResponse(responseCode = "200", description = "the certification",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InsightViews.Certification.class)))
    @ApiResponse(responseCode = "409", description = "not finished", content = @Content(schema = @Schema(implementation = ApiError.class)))
    InsightViews.Certification certification(@Parameter(hidden = true) Caller caller,
                                              @PathVariable @Pattern(regexp = JobsController.JOB_ID) String jobId) {
        return jobs.certification(caller, jobId);
    }
}
