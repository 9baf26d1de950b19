package io.gridledger.gateway.api;

import io.gridledger.gateway.agents.AgentProgress;
import io.gridledger.gateway.auth.AccessDenied;
import io.gridledger.gateway.auth.Caller;
import io.gridledger.gateway.auth.Scope;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Identities;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.PageRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A partner's jobs: submit (idempotent by the derived job id), read, list, cancel, result, event streams. A partner
 * sees only jobs this gateway made for it and that its Fabric identity submitted; any other job id is "not found",
 * whether it exists or not. The org admin (the {@code admin} scope) reads every job whose client is an account of this
 * org — its partners' jobs, whichever gateway or identity of the org submitted them — but cancels only its own.
 */
@Singleton
public final class JobService {

    public static final String JOBS_PATH = "/api/v1/jobs/";
    /** Ledger page read per step of a listing; a listing reads at most {@link #MAX_LEDGER_PAGES} per request. */
    private static final int LEDGER_PAGE = 100;
    private static final int MAX_LEDGER_PAGES = 5;
    private static final int OWNERSHIP_CACHE = 10_000;

    private final Ledger ledger;
    private final Identities identities;
    private final JobIds ids;
    private final IdempotentRequests idempotency;
    private final JobEventSource events;
    private final AgentProgress progress;
    private final ResultLocator results;
    private final JobInputs inputs;
    private final MultipartSubmissions multipart;
    private final JsonMapper json;
    /** Partner and job id → whether it is that partner's (checked on the ledger once), for the partner's event stream. */
    private final Map<String, Boolean> ownership = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > OWNERSHIP_CACHE;
                }
            });

    JobService(Ledger ledger, Identities identities, JobIds ids, IdempotentRequests idempotency, JobEventSource events,
               AgentProgress progress, ResultLocator results, JobInputs inputs, MultipartSubmissions multipart,
               JsonMapper json) {
        this.progress = progress;
        this.ledger = ledger;
        this.identities = identities;
        this.ids = ids;
        this.idempotency = idempotency;
        this.events = events;
        this.results = results;
        this.inputs = inputs;
        this.multipart = multipart;
        this.json = json;
    }

    /**
     * Submits a job under the id derived from the partner and the key: 202 with the job and its Location. A retry
     * with the same key — even after the gateway restarted and lost its records — finds the job on the ledger
     * ({@code ALREADY_EXISTS}) and answers with it; the same key with another job is a 422.
     */
    public IdempotencyRecord.StoredResponse submit(Caller caller, @Nullable String key, JobSubmission submission) {
        AccessDenied.requireScope(caller, Scope.JOBS_WRITE);
        var checked = IdempotentRequests.requireKey(key);
        var jobId = ids.derive(caller.partnerId(), checked);
        var spec = submission.toSpec(jobId);
        // Checked before the idempotent run, whose refusals are kept: a retry after the missing upload must succeed.
        inputs.verify(spec.inputs());
        return idempotency.run(caller, checked, "SubmitJob", submission, () -> {
            Job job;
            try {
                job = ledger.submitJob(caller.identity(), spec).value();
            } catch (ContractRefusal refusal) {
                if (refusal.code() != ContractErrorCode.ALREADY_EXISTS) {
                    throw refusal;
                }
                job = ledger.getJob(caller.identity(), jobId).job();
                if (!job.clientId().equals(account(caller)) || !sameSubmission(spec, job.spec())) {
                    throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, new ApiError("IDEMPOTENCY_KEY_REUSED",
                            "this Idempotency-Key was used for another job; use a new key for a new job",
                            List.of(new ApiError.Detail(IdempotentRequests.HEADER, "already used for a different job"))), null);
                }
            }
            return idempotency.answer(HttpStatus.ACCEPTED, job, JOBS_PATH + jobId);
        });
    }

    /**
     * Submits a job sent as {@code multipart/form-data}: the spec part, then one part per input to upload, each
     * streamed to the object store and checked ({@link MultipartSubmissions}); then as {@link #submit}. The scope and
     * the key are checked before any byte of a file is read.
     */
    public IdempotencyRecord.StoredResponse submitMultipart(Caller caller, @Nullable String key, String contentType,
                                                            java.io.InputStream body) throws java.io.IOException {
        AccessDenied.requireScope(caller, Scope.JOBS_WRITE);
        IdempotentRequests.requireKey(key);
        return submit(caller, key, multipart.read(contentType, body));
    }

    /** A presigned upload for an input the partner announces ({@code stored} if this org's store holds it already). */
    public IdempotencyRecord.StoredResponse requestUpload(Caller caller, @Nullable String key, UploadRequest request) {
        AccessDenied.requireScope(caller, Scope.JOBS_WRITE);
        return idempotency.run(caller, key, "RequestUpload", request,
                () -> idempotency.answer(HttpStatus.OK, inputs.requestUpload(request), null));
    }

    public JobView get(Caller caller, String jobId) {
        AccessDenied.requireScope(caller, Scope.JOBS_READ);
        return requireVisible(caller, jobId);
    }

    /**
     * The partner's jobs in job id order, optionally of one status; for the org admin, the org's jobs
     * ({@link #listOrg}).
     */
    public JobPage list(Caller caller, @Nullable Job.Status status, int pageSize, @Nullable String cursor) {
        AccessDenied.requireScope(caller, Scope.JOBS_READ);
        if (caller.isAdmin()) {
            return listOrg(caller, status, pageSize, cursor);
        }
        var filter = "jobs;status=" + (status == null ? "" : status.name());
        var from = PageCursor.decode(cursor, filter, json);
        var account = account(caller);
        var items = new ArrayList<Job>();
        var bookmark = from.bookmark();
        var after = from.after();
        for (int read = 0; read < MAX_LEDGER_PAGES; read++) {
            var page = ledger.listJobsByClient(caller.identity(), account, new PageRequest(LEDGER_PAGE, bookmark));
            for (var job : page.items()) {
                if (after != null && job.jobId().compareTo(after) <= 0) {
                    continue;
                }
                after = job.jobId();
                if (ids.madeFor(caller.partnerId(), job.jobId()) && (status == null || job.status() == status)) {
                    items.add(job);
                    if (items.size() == pageSize) {
                        return new JobPage(items, new PageCursor(bookmark, after, filter).encode(json));
                    }
                }
            }
            if (!page.hasMore()) {
                return new JobPage(items, null);
            }
            bookmark = page.bookmark();
            after = null;
        }
        return new JobPage(items, new PageCursor(bookmark, after, filter).encode(json));
    }

    /**
     * Every job whose client is an account of this org. Of one status: the ledger's index of that status, keeping this
     * org's (in job id order). Of any status: client by client (this org's accounts in id order, as the ledger lists
     * them; a client submits only with credits, so it has an account), each client's jobs in job id order — an index
     * that a job's progress does not reorder between pages.
     */
    private JobPage listOrg(Caller caller, @Nullable Job.Status status, int pageSize, @Nullable String cursor) {
        var filter = "org-jobs;status=" + (status == null ? "" : status.name());
        var from = PageCursor.decode(cursor, filter, json);
        var sources = status == null ? orgClients(caller) : List.of("");
        int start = 0;
        var bookmark = from.bookmark();
        var after = from.after();
        if (from.source() != null) {
            while (start < sources.size() && sources.get(start).compareTo(from.source()) < 0) {
                start++;
            }
            if (start == sources.size() || !sources.get(start).equals(from.source())) {
                bookmark = "";
                after = null;
            }
        }
        var items = new ArrayList<Job>();
        int reads = 0;
        for (int i = start; i < sources.size(); i++) {
            var source = sources.get(i);
            if (i > start) {
                bookmark = "";
                after = null;
            }
            while (true) {
                if (reads++ == MAX_LEDGER_PAGES) {
                    return new JobPage(items, new PageCursor(bookmark, after, filter, source).encode(json));
                }
                var request = new PageRequest(LEDGER_PAGE, bookmark);
                var page = status == null ? ledger.listJobsByClient(caller.identity(), source, request)
                        : ledger.listJobsByStatus(caller.identity(), status, request);
                for (var job : page.items()) {
                    if (after != null && job.jobId().compareTo(after) <= 0) {
                        continue;
                    }
                    after = job.jobId();
                    if (ofThisOrg(job)) {
                        items.add(job);
                        if (items.size() == pageSize) {
                            return new JobPage(items, new PageCursor(bookmark, after, filter, source).encode(json));
                        }
                    }
                }
                if (!page.hasMore()) {
                    break;
                }
                bookmark = page.bookmark();
                after = null;
            }
        }
        return new JobPage(items, null);
    }

    /** This org's accounts (the clients its jobs can have), in id order. */
    private List<String> orgClients(Caller caller) {
        var clients = new ArrayList<String>();
        var bookmark = "";
        do {
            var page = ledger.listAccounts(caller.identity(), new PageRequest(200, bookmark));
            page.items().stream().filter(a -> identities.mspId().equals(a.org())).forEach(a -> clients.add(a.accountId()));
            bookmark = page.hasMore() ? page.bookmark() : null;
        } while (bookmark != null);
        clients.sort(null);
        return clients;
    }

    /** Whether the job's client is an account of this org (account ids are {@code <mspId>/<name>}). */
    private boolean ofThisOrg(Job job) {
        return job.clientId().startsWith(identities.mspId() + "/");
    }

    /**
     * Each replica of the partner's job (every attempt the ledger has) with its state on the ledger and the latest step
     * its provider's agent reported for that attempt, if this gateway heard one.
     */
    public List<AgentViews.ReplicaStatus> replicas(Caller caller, String jobId) {
        AccessDenied.requireScope(caller, Scope.JOBS_READ);
        var view = requireVisible(caller, jobId);
        var steps = progress.replicas(jobId);
        return view.replicas().stream().map(replica -> {
            var assignment = replica.assignment();
            var step = steps.stream()
                    .filter(s -> s.replica() == assignment.index() && s.attempt() == assignment.attempt())
                    .findFirst().map(AgentViews.AgentStepView::of).orElse(null);
            return AgentViews.ReplicaStatus.of(replica, step);
        }).toList();
    }

    /** Cancels the partner's job (the contract refunds what honest work did not earn): 200 with the job. */
    public IdempotencyRecord.StoredResponse cancel(Caller caller, @Nullable String key, String jobId) {
        AccessDenied.requireScope(caller, Scope.JOBS_WRITE);
        var checked = IdempotentRequests.requireKey(key);
        requireOwn(caller, jobId);
        return idempotency.run(caller, checked, "CancelJob", Map.of("jobId", jobId),
                () -> idempotency.answer(HttpStatus.OK, ledger.cancelJob(caller.identity(), jobId).value(), JOBS_PATH + jobId));
    }

    /** The result of a completed job; 409 {@code WRONG_STATE} before (or when the job failed or was cancelled). */
    public ResultDownload result(Caller caller, String jobId) {
        return results.locate(completed(caller, jobId));
    }

    /**
     * The caller's own job (or for the org admin, the org's), completed with an agreed fingerprint; 404 if not theirs,
     * 409 {@code WRONG_STATE} if not completed.
     */
    Job completed(Caller caller, String jobId) {
        AccessDenied.requireScope(caller, Scope.JOBS_READ);
        var job = requireVisible(caller, jobId).job();
        if (job.status() != Job.Status.COMPLETED || job.outcome() == null || job.outcome().fingerprint() == null) {
            throw new ApiException(HttpStatus.CONFLICT, "WRONG_STATE", "job " + jobId + " is " + job.status()
                    + ": a result exists once it is COMPLETED");
        }
        return job;
    }

    /**
     * The transaction that ended a visible job (the one that settled its escrow: SettleJob, ExpireJob or CancelJob) as
     * its block records it, with the orgs whose peers endorsed it; 409 {@code JOB_NOT_FINISHED} before it ended.
     */
    public io.gridledger.gateway.insights.InsightViews.Certification certification(Caller caller, String jobId) {
        AccessDenied.requireScope(caller, Scope.JOBS_READ);
        var job = requireVisible(caller, jobId).job();
        if (!job.isFinished()) {
            throw new ApiException(HttpStatus.CONFLICT, "JOB_NOT_FINISHED", "job " + jobId + " is " + job.status()
                    + ": it is certified once it COMPLETED, FAILED or was CANCELLED");
        }
        // the job's end releases its escrow: the transaction that deleted the escrow key is the one that ended it
        var ending = ledger.getJobHistory(caller.identity(), jobId).stream()
                .filter(h -> "escrow".equals(h.asset()) && h.deleted()).findFirst()
                .orElseThrow(() -> new IllegalStateException("job " + jobId + " ended but no transaction released its escrow"));
        var tx = ledger.committedTransaction(caller.identity(), ending.txId())
                .orElseThrow(() -> ApiException.unavailable("the peer does not hold transaction " + ending.txId() + " yet",
                        Failure.LEDGER_RETRY_AFTER));
        return new io.gridledger.gateway.insights.InsightViews.Certification(jobId, tx.txId(), tx.blockNumber(),
                tx.validationCode(), tx.function(), tx.endorsingOrgs(), tx.endorsers().stream()
                .map(e -> new io.gridledger.gateway.insights.InsightViews.Endorser(e.mspId(), e.subject())).toList(),
                tx.createdAt());
    }

    /** How long a stream resumed for an ended job waits for the next event it missed. */
    private static final java.time.Duration RESUME_TIMEOUT = java.time.Duration.ofSeconds(20);

    /**
     * The job's events: first a {@code Snapshot} of its state, then each change as it commits, ending after the one
     * that finishes it. Resumed ({@code lastEventId}) for a job that has ended: the ledger events after that id, ending
     * with the final one.
     */
    public Flux<JobEvent> jobEvents(Caller caller, String jobId, @Nullable String lastEventId) {
        AccessDenied.requireScope(caller, Scope.JOBS_READ);
        // The live stream's start is fixed before the snapshot is read: no change falls between them.
        var live = Flux.from(events.events(lastEventId)).filter(e -> e.jobId().equals(jobId));
        var snapshot = snapshot(requireVisible(caller, jobId));
        if (snapshot.isFinal()) {
            if (lastEventId != null && events.resumesFromLedger(lastEventId)) {
                // A client back from before a restart of this gateway, after the job ended (perhaps while the gateway
                // was down), gets what it missed, ending with the final event; should that not come (the id was
                // already the last), the final snapshot. A client of this instance got every event up to the end.
                return live.filter(e -> !JobEvent.AGENT_STEP.equals(e.event())).takeUntil(JobEvent::isFinal)
                        .timeout(RESUME_TIMEOUT, Flux.just(snapshot));
            }
            return Flux.just(snapshot);
        }
        // After the snapshot, each replica's latest agent step known now; a step the live stream also carries
        // (it arrived between the two reads) is sent once.
        var known = Flux.fromIterable(progress.replicas(jobId)).map(JobEvent::agentStep);
        return Flux.defer(() -> {
            var sentSteps = new HashSet<String>();
            return Flux.concat(Flux.just(snapshot), known, live)
                    .filter(e -> !JobEvent.AGENT_STEP.equals(e.event()) || sentSteps.add(e.id()))
                    .takeUntil(JobEvent::isFinal);
        });
    }

    /**
     * The events of all the partner's jobs (for the org admin, of all the org's jobs), from now on (or after
     * {@code lastEventId}), until the client leaves.
     */
    public Flux<JobEvent> partnerEvents(Caller caller, @Nullable String lastEventId) {
        AccessDenied.requireScope(caller, Scope.JOBS_READ);
        var account = account(caller);
        return Flux.from(events.events(lastEventId))
                .filter(e -> caller.isAdmin() || ids.madeFor(caller.partnerId(), e.jobId()))
                .filterWhen(e -> Mono.fromCallable(() -> owns(caller, account, e.jobId())).subscribeOn(Schedulers.boundedElastic()));
    }

    private boolean owns(Caller caller, String account, String jobId) {
        var key = caller.partnerId() + "\u0000" + jobId;
        var known = ownership.get(key);
        if (known != null) {
            return known;
        }
        boolean owned;
        try {
            var job = ledger.getJob(caller.identity(), jobId).job();
            owned = caller.isAdmin() ? ofThisOrg(job) : job.clientId().equals(account);
        } catch (ContractRefusal refusal) {
            owned = false;
        }
        ownership.put(key, owned);
        return owned;
    }

    private static JobEvent snapshot(JobView view) {
        var job = view.job();
        return JobEvent.ledger("snapshot:" + job.jobId(), job.jobId(), "Snapshot", job.status().name(), job.phase().name(),
                null, null, 0);
    }

    /** The job if the caller may read it: its own, or for the org admin any of the org's; otherwise 404. */
    private JobView requireVisible(Caller caller, String jobId) {
        if (!caller.isAdmin()) {
            return requireOwn(caller, jobId);
        }
        var view = load(jobId, caller);
        if (!ofThisOrg(view.job())) {
            throw ApiException.notFound("job " + jobId);
        }
        return view;
    }

    private JobView requireOwn(Caller caller, String jobId) {
        if (!ids.madeFor(caller.partnerId(), jobId)) {
            throw ApiException.notFound("job " + jobId);
        }
        var view = load(jobId, caller);
        if (!view.job().clientId().equals(account(caller))) {
            throw ApiException.notFound("job " + jobId);
        }
        return view;
    }

    private JobView load(String jobId, Caller caller) {
        JobView view;
        try {
            view = ledger.getJob(caller.identity(), jobId);
        } catch (ContractRefusal refusal) {
            if (refusal.code() == ContractErrorCode.NOT_FOUND) {
                throw ApiException.notFound("job " + jobId);
            }
            throw refusal;
        }
        return view;
    }

    private String account(Caller caller) {
        return identities.identity(caller.identity()).accountId();
    }

    /**
     * Whether the job on the ledger is this submission: the contract stores the spec with defaults filled in
     * (verification, empty collections), so only what the client said is compared.
     */
    static boolean sameSubmission(JobSpec requested, JobSpec recorded) {
        var a = requested;
        var b = recorded;
        var va = a.verification();
        var vb = b.verification();
        return a.image().equals(b.image())
                && orEmpty(a.command()).equals(orEmpty(b.command()))
                && new TreeMap<>(orEmpty(a.env())).equals(new TreeMap<>(orEmpty(b.env())))
                && orEmpty(a.inputs()).equals(orEmpty(b.inputs()))
                && sameResources(a, b)
                && a.maxUnitPrice() == b.maxUnitPrice()
                && a.timeoutSeconds() == b.timeoutSeconds()
                && a.minReputation() == b.minReputation()
                && a.deadline() == b.deadline()
                && va.mode() == vb.mode()
                && (va.replicas() == 0 || va.replicas() == vb.replicas())
                && (va.quorum() == 0 || va.quorum() == vb.quorum())
                && (va.maxReplicas() == null || Objects.equals(va.maxReplicas(), vb.maxReplicas()));
    }

    private static boolean sameResources(JobSpec a, JobSpec b) {
        var ra = a.resources();
        var rb = b.resources();
        return ra.cpuMillis() == rb.cpuMillis() && ra.memoryMiB() == rb.memoryMiB() && ra.gpuCount() == rb.gpuCount()
                && orEmpty(ra.gpuModel()).equals(orEmpty(rb.gpuModel())) && ra.storageMiB() == rb.storageMiB()
                && ra.arch().equals(rb.arch()) && new TreeMap<>(orEmpty(ra.labels())).equals(new TreeMap<>(orEmpty(rb.labels())));
    }

    private static <T> List<T> orEmpty(@Nullable List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> orEmpty(@Nullable Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    private static String orEmpty(@Nullable String text) {
        return text == null ? "" : text;
    }
}
