package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.Caller;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
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

import java.util.List;
import org.reactivestreams.Publisher;

import java.io.IOException;
import java.io.InputStream;

/** The partner's jobs (the org admin: the org's) over HTTP: translation only; {@link JobService} decides. */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "jobs")
class JobsController {

    static final String JOB_ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";
    private final JobService jobs;
    private final ResultFiles results;
    private final SseSettings sse;

    JobsController(JobService jobs, ResultFiles results, SseSettings sse) {
        this.jobs = jobs;
        this.results = results;
        this.sse = sse;
    }

    @Post(uri = "/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Answers 202 at once with the job (QUEUED) and its Location to "
            + "follow. The job id is derived from the partner and the Idempotency-Key: a retry with the same key returns "
            + "the same job, the same key with another job is 422. As multipart/form-data: first a part \"spec\" (the "
            + "JSON job spec), then one part per input to upload, named by the input's name; each file streams to this "
            + "org's object store and is checked against the input's sha256 and sizeBytes (which may be left out to be "
            + "filled in). Inputs without a part must be stored already (POST /uploads).")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobSubmission.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(type = "object",
                    description = "part \"spec\": the JobSubmission as JSON; then one binary part per input, named by it"))})
    @ApiResponse(responseCode = "202", description = "accepted: follow Location",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Job.class)))
    @ApiResponse(responseCode = "400", description = "invalid job spec", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "refused by the contract (e.g. INSUFFICIENT_FUNDS)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "a multipart body larger than the upload limit", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "422", description = "Idempotency-Key reused for another request; a file that does not match "
            + "its input (INPUT_MISMATCH); an input not stored (INPUTS_NOT_STORED)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    HttpResponse<String> submit(@Parameter(hidden = true) Caller caller,
                                @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                @Body @Valid JobSubmission job) {
        return Responses.of(jobs.submit(caller, idempotencyKey, job));
    }

    /** Documented on {@link #submit} (one operation per path and method in OpenAPI), as its multipart/form-data body. */
    @Post(uri = "/jobs")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @io.swagger.v3.oas.annotations.Hidden
    HttpResponse<String> submitMultipart(@Parameter(hidden = true) Caller caller,
                                         @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                         @Header(HttpHeaders.CONTENT_TYPE) String contentType,
                                         @Parameter(hidden = true) @Body InputStream body) throws IOException {
        return Responses.of(jobs.submitMultipart(caller, idempotencyKey, contentType, body));
    }

    @Post(uri = "/uploads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Announce an input to upload", description = "Answers a presigned PUT URL into this org's "
            + "object store for exactly the bytes with that SHA-256, or stored=true when they are stored already. "
            + "Upload, then submit the job naming the input by {name, sha256, sizeBytes}: the submission checks the "
            + "uploaded bytes before it goes to the ledger.")
    @ApiResponse(responseCode = "200", description = "upload here, or already stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UploadGrant.class)))
    @ApiResponse(responseCode = "422", description = "an object with that SHA-256 is stored with another size",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    HttpResponse<String> upload(@Parameter(hidden = true) Caller caller,
                                @Header(IdempotentRequests.HEADER) @Nullable String idempotencyKey,
                                @Body @Valid UploadRequest upload) {
        return Responses.of(jobs.requestUpload(caller, idempotencyKey, upload));
    }

    @Get(uri = "/jobs/{jobId}")
    @Operation(summary = "A job with its replicas and escrow")
    JobView get(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = JOB_ID) String jobId) {
        return jobs.get(caller, jobId);
    }

    @Get(uri = "/jobs/{jobId}/replicas")
    @Operation(summary = "A job's replicas and their agents' progress", description = "Each replica (every attempt) "
            + "with its node, the node's org, its state on the ledger (ASSIGNED, COMMITTED, REVEALED, TIMED_OUT), its "
            + "verdict once judged, and the latest step its provider's agent reported (accepted … revealed, failed with "
            + "a reason), with the agent's time. Only the job's owner and its org's admin; another partner's job is a 404.")
    List<AgentViews.ReplicaStatus> replicas(@Parameter(hidden = true) Caller caller,
                                            @PathVariable @Pattern(regexp = JOB_ID) String jobId) {
        return jobs.replicas(caller, jobId);
    }

    @Get(uri = "/jobs{?status,pageSize,cursor}")
    @Operation(summary = "The partner's jobs, optionally of one status, a page at a time", description = "For the org "
            + "admin (scope admin): every job whose client is an account of this org.")
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

    @Get(uri = "/jobs/{jobId}/result{?redirect}")
    @Operation(summary = "A completed job's result", description = "200 with the agreed result fingerprint (header "
            + "X-Result-Fingerprint) and the outcome; once outputs are in object storage, 303 to a presigned URL of the "
            + "output manifest, whose SHA-256 is X-Result-Digest. With redirect=false, 200 instead of the 303, with the "
            + "same headers and the presigned URL in X-Result-Location: a browser's fetch follows a 303 by itself and "
            + "never shows its headers. 409 before the job completed.")
    @ApiResponse(responseCode = "200", description = "the result",
            headers = {@io.swagger.v3.oas.annotations.headers.Header(name = "X-Result-Fingerprint", description = "SHA-256 fingerprint the quorum agreed on"),
                    @io.swagger.v3.oas.annotations.headers.Header(name = "X-Result-Digest", description = "SHA-256 of the output manifest (outputs stored, redirect=false)"),
                    @io.swagger.v3.oas.annotations.headers.Header(name = "X-Result-Location", description = "presigned URL of the output manifest (outputs stored, redirect=false)")},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobResult.class)))
    @ApiResponse(responseCode = "303", description = "download the outputs from Location")
    @ApiResponse(responseCode = "409", description = "not completed", content = @Content(schema = @Schema(implementation = ApiError.class)))
    HttpResponse<JobResult> result(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = JOB_ID) String jobId,
                                   @QueryValue(defaultValue = "true") boolean redirect) {
        var download = jobs.result(caller, jobId);
        MutableHttpResponse<JobResult> response;
        if (download instanceof ResultDownload.Redirect stored) {
            response = redirect
                    ? HttpResponse.<JobResult>status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, stored.location().toString())
                    : HttpResponse.<JobResult>ok().header("X-Result-Location", stored.location().toString());
            response.header("X-Result-Digest", stored.resultDigest()).body(stored.result());
        } else {
            response = HttpResponse.ok(download.result());
        }
        return response.header("X-Result-Fingerprint", download.result().fingerprint());
    }

    @Get(uri = "/jobs/{jobId}/result/manifest")
    @Operation(summary = "The agreed result's output manifest", description = "303 to a presigned GET of the manifest "
            + "(\"gridledger/outputs/v1\" then path, size, sha256 per file) whose SHA-256 is X-Result-Digest. 409 before "
            + "the job completed, 404 RESULT_NOT_STORED if no replica's outputs with the agreed fingerprint are stored.")
    @ApiResponse(responseCode = "303", description = "download from Location")
    HttpResponse<?> resultManifest(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = JOB_ID) String jobId) {
        return redirect(results.manifest(caller, jobId));
    }

    @Get(uri = "/jobs/{jobId}/result/files/{path:.+}")
    @Operation(summary = "One output file of the agreed result", description = "303 to a presigned GET of the file, "
            + "whose SHA-256 is X-Object-Sha256 (as the manifest lists it). 404 FILE_NOT_FOUND for a path the "
            + "manifest does not list; 400 for a path that is not a relative output path.")
    @ApiResponse(responseCode = "303", description = "download from Location")
    HttpResponse<?> resultFile(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = JOB_ID) String jobId,
                               @PathVariable String path) {
        return redirect(results.file(caller, jobId, path));
    }

    @Get(uri = "/jobs/{jobId}/result/logs/{name}")
    @Operation(summary = "A log (stdout, stderr) of the replica whose outputs are the agreed result",
            description = "303 to a presigned GET of the log.")
    @ApiResponse(responseCode = "303", description = "download from Location")
    HttpResponse<?> resultLog(@Parameter(hidden = true) Caller caller, @PathVariable @Pattern(regexp = JOB_ID) String jobId,
                              @PathVariable String name) {
        return redirect(results.log(caller, jobId, name));
    }

    private static HttpResponse<?> redirect(ResultFiles.Location location) {
        return HttpResponse.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, location.url().toString())
                .header("X-Result-Digest", location.resultDigest()).header("X-Result-Fingerprint", location.fingerprint())
                .header("X-Object-Sha256", location.sha256());
    }

    @Get(uri = "/jobs/{jobId}/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(summary = "Server-Sent Events of one job", description = "A Snapshot event and each replica's latest "
            + "AgentStep, then each change as the ledger commits it and each step the providers' agents report; the stream "
            + "ends after the job finished. Comment lines keep an idle stream alive. Resume with Last-Event-ID.")
    @ApiResponse(responseCode = "200", description = "text/event-stream of JobEvent",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(implementation = JobEvent.class)))
    Publisher<Event<Object>> jobEvents(@Parameter(hidden = true) Caller caller,
                                       @PathVariable @Pattern(regexp = JOB_ID) String jobId,
                                       @Header("Last-Event-ID") @Nullable String lastEventId) {
        return ServerSentEvents.of(jobs.jobEvents(caller, jobId, lastEventId), sse.keepAlive());
    }

    @Get(uri = "/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(summary = "Server-Sent Events of all the partner's jobs", description = "Each change of any of the "
            + "partner's jobs as the ledger commits it and each AgentStep, until the client leaves. Resume with Last-Event-ID.")
    @ApiResponse(responseCode = "200", description = "text/event-stream of JobEvent",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(implementation = JobEvent.class)))
    Publisher<Event<Object>> partnerEvents(@Parameter(hidden = true) Caller caller,
                                           @Header("Last-Event-ID") @Nullable String lastEventId) {
        return ServerSentEvents.of(jobs.partnerEvents(caller, lastEventId), sse.keepAlive());
    }
}
