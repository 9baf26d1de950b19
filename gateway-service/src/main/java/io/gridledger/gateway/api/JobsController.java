package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.Caller;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.reactivestreams.Publisher;

/** The partner's jobs over HTTP: translation only; {@link JobService} decides. */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "jobs")
class JobsController {

    static final String JOB_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";
    private final JobService jobs;

    JobsController(JobService jobs) {
        this.jobs = jobs;
    }

    @Post(uri = "/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Answers 202 at once with the job (QUEUED) and its Location to "
            + "follow. The job id is derived from the partner and the Idempotency-Key: a retry with the same key returns "
            + "the same job, the same key with another job is 422.")
    @ApiResponse(responseCode = "202", description = "accepted: follow Location",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Job.class)))
    @ApiResponse(responseCode = "400", description = "invalid job spec", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "refused by the contract (e.g. INSUFFICIENT_FUNDS)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "422", description = "Idempotency-Key reused for another request", content = @Content(schema = @Schema(implementation = ApiError.class)))
    HttpResponse<String> submit(@Parameter(hidden = true) Caller caller,
                                @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                @Body @Valid JobSubmission job) {
        return Responses.of(jobs.submit(caller, idempotencyKey, job));
    }

    @Get(uri = "/jobs/{jobId}")
    @Operation(summary = "A job with its replicas and escrow")
    JobView get(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = JOB_ID) String jobId) {
        return jobs.get(caller, jobId);
    }

    @Get(uri = "/jobs{?status,pageSize,cursor}")
    @Operation(summary = "The partner's jobs, optionally of one status, a page at a time")
    JobPage list(@Parameter(hidden = true) Caller caller, @QueryValue @Nullable Job.Status status,
                 @QueryValue(defaultValue = "50") @Min(1) @Max(200) int pageSize, @QueryValue @Nullable String cursor) {
        return jobs.list(caller, status, pageSize, cursor);
    }

    @Post(uri = "/jobs/{jobId}/cancel")
    @Operation(summary = "Cancel a job", description = "Refunds what honest work did not earn.")
    @ApiResponse(responseCode = "200", description = "cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Job.class)))
    HttpResponse<String> cancel(@Parameter(hidden = true) Caller caller,
                                @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                @PathVariable @Pattern(regexp = JOB_ID) String jobId) {
        return Responses.of(jobs.cancel(caller, idempotencyKey, jobId));
    }

    @Get(uri = "/jobs/{jobId}/result")
    @Operation(summary = "A completed job's result", description = "200 with the agreed result fingerprint (header "
            + "X-Result-Fingerprint) and the outcome; once outputs are in object storage, 303 to a presigned URL. 409 "
            + "before the job completed.")
    @ApiResponse(responseCode = "200", description = "the result",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "X-Result-Fingerprint", description = "SHA-256 fingerprint the quorum agreed on"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobResult.class)))
    @ApiResponse(responseCode = "303", description = "download the outputs from Location")
    @ApiResponse(responseCode = "409", description = "not completed", content = @Content(schema = @Schema(implementation = ApiError.class)))
    HttpResponse<JobResult> result(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = JOB_ID) String jobId) {
        var download = jobs.result(caller, jobId);
        var response = download instanceof ResultDownload.Redirect redirect
                ? HttpResponse.<JobResult>status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, redirect.location().toString())
                        .body(redirect.result())
                : HttpResponse.ok(download.result());
        return response.header("X-Result-Fingerprint", download.result().fingerprint());
    }

    @Get(uri = "/jobs/{jobId}/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(summary = "Server-Sent Events of one job", description = "A Snapshot event, then each change as the "
            + "ledger commits it; the stream ends after the job finished. Resume with Last-Event-ID.")
    @ApiResponse(responseCode = "200", description = "text/event-stream of JobEvent",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(implementation = JobEvent.class)))
    Publisher<Event<JobEvent>> jobEvents(@Parameter(hidden = true) Caller caller,
                                         @PathVariable @Pattern(regexp = JOB_ID) String jobId,
                                         @Header("Last-Event-ID") @Nullable String lastEventId) {
        return jobs.jobEvents(caller, jobId, lastEventId).map(JobsController::sse);
    }

    @Get(uri = "/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(summary = "Server-Sent Events of all the partner's jobs", description = "Each change of any of the "
            + "partner's jobs as the ledger commits it, until the client leaves. Resume with Last-Event-ID.")
    @ApiResponse(responseCode = "200", description = "text/event-stream of JobEvent",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(implementation = JobEvent.class)))
    Publisher<Event<JobEvent>> partnerEvents(@Parameter(hidden = true) Caller caller,
                                             @Header("Last-Event-ID") @Nullable String lastEventId) {
        return jobs.partnerEvents(caller, lastEventId).map(JobsController::sse);
    }

    private static Event<JobEvent> sse(JobEvent event) {
        var sse = Event.of(event).name(event.event());
        return event.txId() == null ? sse : sse.id(event.id());
    }
}
