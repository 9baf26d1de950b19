package io.gridledger.gateway.exchange;

import io.gridledger.exchange.CompleteRequest;
import io.gridledger.exchange.InputsResponse;
import io.gridledger.exchange.OutputManifest;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.exchange.OutputsResponse;
import io.gridledger.exchange.ProgressRequest;
import io.gridledger.exchange.ReplicaResult;
import io.gridledger.exchange.VerifiedNode;
import io.gridledger.gateway.agents.NodeProgressSink;
import io.gridledger.gateway.api.ApiError;
import io.gridledger.gateway.api.ApiException;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.Replica;
import io.gridledger.gateway.objects.ObjectStorage;
import io.gridledger.storage.DigestMismatchException;
import io.gridledger.storage.ObjectNotFoundException;
import io.gridledger.storage.PendingUpload;
import io.gridledger.storage.PutOptions;
import io.gridledger.storage.Sha256;
import io.gridledger.storage.StorageException;
import io.micronaut.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a verified provider node may do with a job of this org (gateway-service/NODE-EXCHANGE.md), once the ledger
 * confirms it holds the live assignment of that replica and attempt: read the inputs, declare and upload outputs,
 * complete them, report progress. A refusal changes nothing (no object, record or URL is made).
 */
public final class NodeExchangeService {

    private static final Logger LOG = LoggerFactory.getLogger(NodeExchangeService.class);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Duration STORAGE_RETRY_AFTER = Duration.ofSeconds(5);

    private final Ledger ledger;
    private final String identity;
    private final String mspId;
    private final ObjectStorage storage;
    private final ExchangeRecords records;
    private final NodeProgressSink progress;
    private final ExchangeSettings settings;
    private final Clock clock;

    NodeExchangeService(Ledger ledger, String mspId, ObjectStorage storage, ExchangeRecords records,
                        NodeProgressSink progress, ExchangeSettings settings, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.identity = settings.identity();
        this.mspId = Objects.requireNonNull(mspId, "mspId");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.records = Objects.requireNonNull(records, "records");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.settings = settings;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The job's inputs (as its spec on the ledger names them), each with a presigned GET. */
    public InputsResponse inputs(VerifiedNode node, String jobId, int replica, int attempt) {
        var job = requireAssignment(node, jobId, replica, attempt, false).job();
        var grants = new ArrayList<InputsResponse.InputGrant>();
        var inputs = job.spec().inputs() == null ? List.<io.gridledger.ledger.JobSpec.InputRef>of() : job.spec().inputs();
        try {
            for (int i = 0; i < inputs.size(); i++) {
                var input = inputs.get(i);
                var sha256 = Sha256.parse(input.sha256());
                if (storage.stat(sha256).isEmpty()) {
                    throw refusal(HttpStatus.CONFLICT, "INPUT_MISSING", "inputs[" + i + "]",
                            "the input " + input.name() + " (" + input.sha256() + ") is not in this org's object store");
                }
                var url = storage.presignGet(sha256);
                grants.add(new InputsResponse.InputGrant(input.name(), input.sha256(), input.sizeBytes(),
                        url.uri().toString(), url.expiresAt().toEpochMilli()));
            }
        } catch (StorageException e) {
            throw unavailable(e);
        }
        LOG.debug("job {} replica {} attempt {}: {} input URLs for node {}", jobId, replica, attempt, grants.size(), node.nodeId());
        return new InputsResponse(jobId, replica, attempt, grants);
    }

    /** Checks and stores the declared manifest; presigned PUTs for every object the store does not hold. */
    public OutputsResponse declareOutputs(VerifiedNode node, String jobId, int replica, OutputsRequest request) {
        validate(request);
        requireAssignment(node, jobId, replica, request.attempt(), false);
        var files = files(request);
        var digest = OutputManifest.digest(files);
        if (!digest.equals(request.resultDigest())) {
            throw refusal(HttpStatus.UNPROCESSABLE_ENTITY, "MANIFEST_MISMATCH", "resultDigest",
                    "the manifest of the declared files hashes to " + digest);
        }
        try {
            var recorded = records.result(jobId, replica, request.attempt());
            if (recorded.isPresent() && !recorded.get().resultDigest().equals(request.resultDigest())) {
                throw refusal(HttpStatus.CONFLICT, "RESULT_ALREADY_RECORDED", "resultDigest",
                        "a result with digest " + recorded.get().resultDigest() + " is recorded for this replica and attempt");
            }
            storage.store().put(new ByteArrayInputStream(OutputManifest.encode(files)),
                    PutOptions.DEFAULT.withContentType("text/plain; charset=utf-8").expectingSha256(Sha256.parse(digest)));
            var sizes = new LinkedHashMap<String, Long>();
            files.forEach(f -> sizes.putIfAbsent(f.sha256(), f.sizeBytes()));
            logs(request).forEach(l -> sizes.putIfAbsent(l.sha256(), l.sizeBytes()));
            var uploads = new ArrayList<OutputsResponse.UploadGrant>();
            var tokens = new LinkedHashMap<String, String>();
            int alreadyStored = 0;
            for (var entry : sizes.entrySet()) {
                var sha256 = Sha256.parse(entry.getKey());
                if (storage.stat(sha256).isPresent()) {
                    alreadyStored++;
                    continue;
                }
                var presigned = storage.presignPut(sha256);
                tokens.put(entry.getKey(), presigned.upload().token());
                uploads.add(new OutputsResponse.UploadGrant(entry.getKey(), entry.getValue(),
                        presigned.url().uri().toString(), presigned.url().expiresAt().toEpochMilli()));
            }
            records.putDeclaration(new ExchangeRecords.Declaration(jobId, replica, request.attempt(), node.nodeId(),
                    new OutputsRequest(request.attempt(), request.resultDigest(), files, logs(request)), tokens));
            LOG.info("job {} replica {} attempt {}: node {} declared outputs {} ({} files, {} uploads)", jobId, replica,
                    request.attempt(), node.nodeId(), digest, files.size(), uploads.size());
            return new OutputsResponse(jobId, replica, request.attempt(), digest, uploads, alreadyStored);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    /** Reads each staged upload back, checks and promotes it, and records the replica's result. */
    public ReplicaResult completeOutputs(VerifiedNode node, String jobId, int replica, CompleteRequest request) {
        if (request.resultDigest() == null || !HEX64.matcher(request.resultDigest()).matches()) {
            throw ApiException.invalid("resultDigest", "must be 64 lowercase hex");
        }
        requireAssignment(node, jobId, replica, request.attempt(), false);
        try {
            var recorded = records.result(jobId, replica, request.attempt());
            if (recorded.isPresent()) {
                if (recorded.get().resultDigest().equals(request.resultDigest())) {
                    return recorded.get();
                }
                throw refusal(HttpStatus.CONFLICT, "RESULT_ALREADY_RECORDED", "resultDigest",
                        "a result with digest " + recorded.get().resultDigest() + " is recorded for this replica and attempt");
            }
            var declaration = records.declaration(jobId, replica, request.attempt())
                    .filter(d -> d.resultDigest().equals(request.resultDigest()) && d.nodeId().equals(node.nodeId()))
                    .orElseThrow(() -> refusal(HttpStatus.CONFLICT, "OUTPUTS_NOT_DECLARED", "resultDigest",
                            "no outputs with this digest were declared for this replica and attempt"));
            var problems = new ArrayList<ApiError.Detail>();
            var checked = new HashSet<String>();
            for (int i = 0; i < declaration.files().size(); i++) {
                var f = declaration.files().get(i);
                check("files[" + i + "]", f.sha256(), declaration, checked, problems);
            }
            for (int i = 0; i < declaration.logs().size(); i++) {
                var l = declaration.logs().get(i);
                check("logs[" + i + "]", l.sha256(), declaration, checked, problems);
            }
            if (!problems.isEmpty()) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, new ApiError("UPLOAD_MISMATCH",
                        problems.size() + " uploaded object(s) are missing or are not the declared bytes: declare and upload again",
                        problems), null);
            }
            long total = declaration.files().stream().mapToLong(OutputsRequest.OutputFile::sizeBytes).sum()
                    + declaration.logs().stream().mapToLong(OutputsRequest.LogFile::sizeBytes).sum();
            var result = new ReplicaResult(jobId, replica, request.attempt(), node.nodeId(), declaration.resultDigest(),
                    OutputManifest.fingerprint(jobId, declaration.resultDigest()), declaration.files().size(), total,
                    clock.millis());
            records.putResult(result);
            LOG.info("job {} replica {} attempt {}: node {} completed outputs {} (fingerprint {})", jobId, replica,
                    request.attempt(), node.nodeId(), result.resultDigest(), result.fingerprint());
            return result;
        } catch (StorageException e) {
            throw unavailable(e);
        }
    }

    private void check(String field, String sha256, ExchangeRecords.Declaration declaration, java.util.Set<String> checked,
                       List<ApiError.Detail> problems) throws StorageException {
        if (!checked.add(sha256)) {
            return;
        }
        var hash = Sha256.parse(sha256);
        var token = declaration.uploads().get(sha256);
        if (token != null) {
            try {
                storage.store().promote(PendingUpload.parse(token));
                return;
            } catch (DigestMismatchException e) {
                problems.add(new ApiError.Detail(field, "bytes hash to " + e.actual().hex()));
                checked.remove(sha256);
                return;
            } catch (ObjectNotFoundException e) {
                // not uploaded, or promoted by an earlier complete: the object itself decides
            }
        }
        if (storage.stat(hash).isEmpty()) {
            problems.add(new ApiError.Detail(field, "not uploaded"));
            checked.remove(sha256);
        }
    }

    /** Hands a progress step to the sink (accepted after the job ended, still only from the assigned node). */
    public void progress(VerifiedNode node, String jobId, int replica, ProgressRequest request) {
        var step = request.step() == null ? java.util.Optional.<ProgressRequest.Step>empty() : ProgressRequest.Step.parse(request.step());
        if (step.isEmpty()) {
            throw ApiException.invalid("step", "must be one of accepted, pulling, running, uploading, committed, revealed, failed");
        }
        if (request.reason() != null && request.reason().length() > 1024) {
            throw ApiException.invalid("reason", "at most 1024 characters");
        }
        requireAssignment(node, jobId, replica, request.attempt(), true);
        progress.report(jobId, replica, request.attempt(), node.nodeId(), step.get().wireName(), request.reason(),
                Instant.ofEpochMilli(request.at()));
    }

    /**
     * The ledger check: the job is this org's, the replica exists, names this node, is of this attempt, has not timed
     * out, and the job is open (unless {@code endedIsFine}).
     */
    JobView requireAssignment(VerifiedNode node, String jobId, int replica, int attempt, boolean endedIsFine) {
        JobView view;
        try {
            view = ledger.getJob(identity, jobId);
        } catch (ContractRefusal refusal) {
            if (refusal.code() == ContractErrorCode.NOT_FOUND) {
                throw notFound(node, jobId);
            }
            throw refusal;
        }
        var job = view.job();
        if (!mspId.equals(job.clientOrg())) {
            throw notFound(node, jobId);
        }
        var assignment = view.replicas().stream().map(JobView.ReplicaView::assignment)
                .filter(a -> a.index() == replica).reduce((first, second) -> second.attempt() > first.attempt() ? second : first);
        if (assignment.isEmpty()) {
            throw refusal(HttpStatus.NOT_FOUND, "REPLICA_NOT_FOUND", "replica", "job " + jobId + " has no replica " + replica);
        }
        Replica a = assignment.get();
        var committed = view.replicas().stream().anyMatch(r -> r.assignment() == a && r.committed());
        if (!a.nodeId().equals(node.nodeId())) {
            LOG.debug("refused node {}: replica {} of job {} is not assigned to it", node.nodeId(), replica, jobId);
            throw refusal(HttpStatus.FORBIDDEN, "NOT_ASSIGNED", "replica", "replica " + replica + " of job " + jobId
                    + " is not assigned to " + node.nodeId());
        }
        if (a.attempt() != attempt) {
            throw refusal(HttpStatus.CONFLICT, "ATTEMPT_SUPERSEDED", "attempt", "the replica's current attempt is "
                    + a.attempt() + ", not " + attempt);
        }
        if (a.status() == Replica.Status.TIMED_OUT
                || !committed && !job.isFinished() && clock.instant().getEpochSecond() > a.commitDeadline()) {
            throw refusal(HttpStatus.CONFLICT, "REPLICA_TIMED_OUT", "replica", "the assignment's commit deadline "
                    + Instant.ofEpochSecond(a.commitDeadline()) + " has passed");
        }
        if (job.isFinished() && !endedIsFine) {
            throw refusal(HttpStatus.CONFLICT, "JOB_ENDED", "jobId", "job " + jobId + " is " + job.status());
        }
        return view;
    }

    private ApiException notFound(VerifiedNode node, String jobId) {
        LOG.debug("refused node {}: job {} is not a job of {}", node.nodeId(), jobId, mspId);
        return refusal(HttpStatus.NOT_FOUND, "JOB_NOT_FOUND", "jobId", "no job " + jobId + " of a client of " + mspId
                + " (ask the client org's gateway)");
    }

    private void validate(OutputsRequest request) {
        if (request.resultDigest() == null || !HEX64.matcher(request.resultDigest()).matches()) {
            throw ApiException.invalid("resultDigest", "must be 64 lowercase hex");
        }
        var files = files(request);
        if (files.size() > settings.maxFiles()) {
            throw refusal(HttpStatus.UNPROCESSABLE_ENTITY, "OUTPUT_LIMIT_EXCEEDED", "files", "at most "
                    + settings.maxFiles() + " files per replica");
        }
        long total = 0;
        var paths = new HashSet<String>();
        for (int i = 0; i < files.size(); i++) {
            var f = files.get(i);
            var field = "files[" + i + "]";
            if (f == null || f.path() == null) {
                throw ApiException.invalid(field + ".path", "required");
            }
            var problem = OutputManifest.pathProblem(f.path());
            if (problem.isPresent()) {
                throw ApiException.invalid(field + ".path", problem.get());
            }
            if (!paths.add(f.path())) {
                throw ApiException.invalid(field + ".path", "listed twice");
            }
            total = checkObject(field, f.sha256(), f.sizeBytes(), total);
        }
        var names = new HashSet<String>();
        var logs = logs(request);
        for (int i = 0; i < logs.size(); i++) {
            var l = logs.get(i);
            var field = "logs[" + i + "]";
            if (l == null || !("stdout".equals(l.name()) || "stderr".equals(l.name())) || !names.add(l.name())) {
                throw ApiException.invalid(field + ".name", "stdout or stderr, each once");
            }
            total = checkObject(field, l.sha256(), l.sizeBytes(), total);
        }
    }

    private long checkObject(String field, String sha256, long size, long total) {
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw ApiException.invalid(field + ".sha256", "must be 64 lowercase hex");
        }
        if (size < 0) {
            throw ApiException.invalid(field + ".sizeBytes", "must be at least 0");
        }
        if (size > storage.maxObjectBytes()) {
            throw refusal(HttpStatus.UNPROCESSABLE_ENTITY, "OUTPUT_LIMIT_EXCEEDED", field + ".sizeBytes",
                    "at most " + storage.maxObjectBytes() + " bytes per object");
        }
        long sum = total + size;
        if (sum > settings.maxOutputBytes()) {
            throw refusal(HttpStatus.UNPROCESSABLE_ENTITY, "OUTPUT_LIMIT_EXCEEDED", field + ".sizeBytes",
                    "at most " + settings.maxOutputBytes() + " bytes of outputs and logs per replica");
        }
        return sum;
    }

    /** The declared files; an absent list is the empty one (NODE-EXCHANGE.md: a serializer may leave it out). */
    private static List<OutputsRequest.OutputFile> files(OutputsRequest request) {
        return request.files() == null ? List.of() : request.files();
    }

    /** The declared logs; an absent list is the empty one. */
    private static List<OutputsRequest.LogFile> logs(OutputsRequest request) {
        return request.logs() == null ? List.of() : request.logs();
    }

    static ApiException refusal(HttpStatus status, String code, String field, String reason) {
        return new ApiException(status, new ApiError(code, reason, List.of(new ApiError.Detail(field, reason))), null);
    }

    private static ApiException unavailable(Exception e) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("STORAGE_UNAVAILABLE",
                "the object store did not answer: " + e.getMessage()), STORAGE_RETRY_AFTER);
    }
}
