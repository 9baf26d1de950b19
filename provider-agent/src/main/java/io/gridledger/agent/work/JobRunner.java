package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.NodeIdentity;
import io.gridledger.agent.config.AgentFaults;
import io.gridledger.agent.config.AgentSettings;
import io.gridledger.agent.exchange.ExchangeException;
import io.gridledger.agent.exchange.JobExchange;
import io.gridledger.agent.exchange.Transfers;
import io.gridledger.agent.journal.JobState;
import io.gridledger.agent.journal.JobStep;
import io.gridledger.agent.journal.Journal;
import io.gridledger.agent.operations.AgentMetrics;
import io.gridledger.agent.result.OutputManifest;
import io.gridledger.agent.result.OutputRejectedException;
import io.gridledger.agent.result.ResultCorruption;
import io.gridledger.agent.result.ResultDigest;
import io.gridledger.agent.result.ResultFormats;
import io.gridledger.agent.result.Salt;
import io.gridledger.agent.result.Sha256;
import io.gridledger.agent.runtime.ContainerId;
import io.gridledger.agent.runtime.ContainerRuntime;
import io.gridledger.agent.runtime.ContainerRuntimeException;
import io.gridledger.agent.runtime.ContainerSummary;
import io.gridledger.agent.runtime.Outcome;
import io.gridledger.agent.status.FailureReason;
import io.gridledger.agent.status.StatusReporter;
import io.gridledger.agent.status.Step;
import io.gridledger.exchange.CompleteRequest;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.ledger.CommitStatusUnknown;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.LedgerException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Takes one replica attempt from its journalled phase as far as this node alone can: inputs fetched and verified,
 * the container created, started, awaited, its outputs digested, uploaded through the client org's gateway, and the
 * commitment on the ledger; then {@link #tryReveal} opens it once every replica of the round committed.
 *
 * <p>Each step is journalled when it is durable, so a restarted agent calls {@link #drive} again and continues: a
 * container that was created is adopted (started if it never was, awaited if it runs or ran), never run twice; the
 * commitment and its salt are journalled before the commit is submitted, so the reveal can never be lost.
 */
@Singleton
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final int TRANSIENT_ATTEMPTS = 5;
    /** Time kept, when waiting out an unavailable gateway or store, for the digest, the commit and its endorsement. */
    static final Duration COMMIT_RESERVE = Duration.ofSeconds(8);

    private final Ledger ledger;
    private final NodeIdentity node;
    private final ContainerRuntime runtime;
    private final Journal journal;
    private final JobExchange exchange;
    private final Transfers transfers;
    private final StatusReporter status;
    private final AgentSettings settings;
    private final ResultCorruption corruption;
    private final AgentMetrics metrics;
    private final SecureRandom random;
    private final Clock clock;
    private final Path workDir;

    public JobRunner(Ledger ledger, NodeIdentity node, ContainerRuntime runtime, Journal journal, JobExchange exchange,
                     Transfers transfers, StatusReporter status, AgentSettings settings, AgentFaults faults,
                     AgentMetrics metrics, SecureRandom random, Clock clock) {
        this.ledger = ledger;
        this.node = node;
        this.runtime = runtime;
        this.journal = journal;
        this.exchange = exchange;
        this.transfers = transfers;
        this.status = status;
        this.settings = settings;
        this.corruption = ResultCorruption.when(faults.corruptResults());
        this.metrics = metrics;
        this.random = random;
        this.clock = clock;
        this.workDir = Path.of(settings.dataDir()).resolve("work");
    }

    /**
     * Runs the job from its journalled phase to {@code COMMITTED} (then the reveal waits for the other replicas) or to
     * {@code FAILED}. Returns the phase it reached.
     */
    public JobState.Phase drive(ActiveJob job) {
        MDC.put("job", job.key().toString());
        try {
            while (true) {
                JobState state = journal.state(job.key()).orElseThrow(() ->
                        new IllegalStateException("job " + job.key() + " is not in the journal"));
                if (state.phase() == JobState.Phase.COMMITTED || state.phase().terminal()) {
                    return state.phase();
                }
                step(job, state);
            }
        } catch (JobFailure failure) {
            fail(job, failure);
            return JobState.Phase.FAILED;
        } catch (IOException e) {
            // The journal could not write: nothing more can be promised for this job; a restart resumes it.
            LOG.error("job={} the journal failed; the job stops here until the agent restarts: {}", job.key(), e.toString());
            return journal.state(job.key()).map(JobState::phase).orElse(JobState.Phase.FAILED);
        } catch (RuntimeException defect) {
            return defect(job, defect);
        } finally {
            MDC.remove("job");
        }
    }

    /**
     * An exception no step expected: a defect of the agent, so trying the same step again would most likely meet it
     * again. The attempt fails ({@code AGENT_DEFECT}, journalled, so a restart does not retry it) and its container and
     * folders go; the one exception is a job whose commitment is journalled ({@code COMMIT_PREPARED}): the commit may
     * be on the ledger already and failing would lose its reveal, while the step is safe to repeat (the ledger has the
     * commitment or gets the same one), so the journal is left for the next start of the agent to resume, which the
     * commit deadline bounds.
     */
    private JobState.Phase defect(ActiveJob job, RuntimeException defect) {
        var phase = journal.state(job.key()).map(JobState::phase).orElse(JobState.Phase.ACCEPTED);
        if (phase == JobState.Phase.COMMIT_PREPARED) {
            LOG.error("job={} stopped by a defect at {}; its commitment is journalled, the next start of the agent "
                    + "commits or finds it and reveals", job.key(), phase, defect);
            return phase;
        }
        LOG.error("job={} failed by a defect of the agent at {}", job.key(), phase, defect);
        try {
            fail(job, new JobFailure(FailureReason.AGENT_DEFECT, null, defect.toString(), defect));
        } catch (RuntimeException again) {
            LOG.error("job={} could not be ended cleanly after the defect: {}", job.key(), again.toString());
        }
        return JobState.Phase.FAILED;
    }

    private void step(ActiveJob job, JobState state) throws JobFailure, IOException {
        switch (state.phase()) {
            case ACCEPTED -> fetchInputs(job);
            case INPUTS_FETCHED -> create(job);
            case CONTAINER_CREATED -> startOrAdopt(job, state);
            case RUNNING -> await(job, state);
            case FINISHED -> upload(job, state);
            case UPLOADED -> prepareCommit(job, state);
            case COMMIT_PREPARED -> commit(job, state);
            default -> throw new IllegalStateException("no step from " + state.phase());
        }
    }

    // --- inputs ---

    private void fetchInputs(ActiveJob job) throws JobFailure, IOException {
        status.step(job.key(), job.clientOrg(), Step.PULLING);
        try {
            if (RunSpecs.resolveImage(runtime, job.spec().image()).isEmpty()) {
                throw new JobFailure(FailureReason.IMAGE_MISSING, "image " + job.spec().image() + " is not on this node ("
                        + runtime.engine().kind() + "); nothing is pulled");
            }
        } catch (ContainerRuntimeException e) {
            throw new JobFailure(FailureReason.ENGINE_ERROR, null, e.getMessage(), e);
        }
        var workspace = Workspace.of(workDir, job.key()).create();
        var wanted = job.spec().inputs() == null ? List.<io.gridledger.ledger.JobSpec.InputRef>of() : job.spec().inputs();
        long bytes = 0;
        if (!wanted.isEmpty()) {
            var grants = withRetries(job, FailureReason.INPUT_MISSING,
                    () -> exchange.inputs(job.clientOrg(), job.key())).inputs();
            for (var input : wanted) {
                // The ledger's digest and size are the truth; the gateway's answer only says where the bytes are.
                var grant = grants.stream().filter(g -> g.name().equals(input.name())).findFirst()
                        .orElseThrow(() -> new JobFailure(FailureReason.INPUT_MISSING, "the gateway gave no URL for input "
                                + input.name()));
                Path target = workspace.input().resolve(input.name()).normalize();
                if (!target.getParent().equals(workspace.input())) {
                    throw new JobFailure(FailureReason.INPUT_MISSING, "input name " + input.name() + " is not a file name");
                }
                try {
                    bytes += transfers.download(grant.url(), target, input.sha256(), input.sizeBytes());
                } catch (Transfers.DigestMismatch e) {
                    throw new JobFailure(FailureReason.INPUT_DIGEST_MISMATCH, null, e.getMessage(), e);
                } catch (IOException e) {
                    throw new JobFailure(FailureReason.INPUT_MISSING, null, input.name() + ": " + e.getMessage(), e);
                }
            }
        }
        journal.append(job.key(), new JobStep.InputsFetched(wanted.size(), bytes));
    }

    // --- the container ---

    private void create(ActiveJob job) throws JobFailure, IOException {
        var workspace = Workspace.of(workDir, job.key());
        workspace.clearOutput();
        try {
            var image = RunSpecs.resolveImage(runtime, job.spec().image()).orElseThrow(() ->
                    new JobFailure(FailureReason.IMAGE_MISSING, "image " + job.spec().image() + " is not on this node"));
            long created = System.nanoTime();
            ContainerId id;
            try {
                id = runtime.create(RunSpecs.of(job.key(), job.spec(), image, workspace, settings));
            } catch (ContainerRuntimeException.AlreadyExists e) {
                // Created before a crash that came before the journal heard of it: adopt that one.
                id = existing(job.key()).map(ContainerSummary::id).orElseThrow(() ->
                        new JobFailure(FailureReason.ENGINE_ERROR, null, e.getMessage(), e));
            }
            createdAt.put(job.key(), created);
            journal.append(job.key(), new JobStep.ContainerCreated(id.value()));
        } catch (ContainerRuntimeException.ImageNotFound e) {
            throw new JobFailure(FailureReason.IMAGE_MISSING, null, e.getMessage(), e);
        } catch (ContainerRuntimeException e) {
            throw new JobFailure(FailureReason.ENGINE_ERROR, null, e.getMessage(), e);
        }
    }

    private final Map<JobKey, Long> createdAt = new java.util.concurrent.ConcurrentHashMap<>();

    /** The journal says created: start it, unless it was started before a crash (then it runs or ran: adopt it). */
    private void startOrAdopt(ActiveJob job, JobState state) throws JobFailure, IOException {
        try {
            var found = existing(job.key()).filter(c -> c.id().value().equals(state.containerId()));
            if (found.isEmpty()) {
                LOG.info("job={} its container {} is gone; creating it again", job.key(), state.containerId());
                create(job);
                return;
            }
            var container = found.get().id();
            if ("created".equals(found.get().state())) {
                runtime.start(container);
                Long created = createdAt.remove(job.key());
                if (created != null) {
                    metrics.containerStarted(Duration.ofNanos(System.nanoTime() - created));
                }
            } else {
                LOG.info("job={} container {} was started before a restart ({}): adopting it", job.key(), container,
                        found.get().state());
            }
            journal.append(job.key(), new JobStep.ContainerStarted(container.value()));
            status.step(job.key(), job.clientOrg(), Step.RUNNING);
        } catch (ContainerRuntimeException e) {
            throw new JobFailure(FailureReason.ENGINE_ERROR, null, e.getMessage(), e);
        }
    }

    private void await(ActiveJob job, JobState state) throws JobFailure, IOException {
        var container = new ContainerId(state.containerId());
        var workspace = Workspace.of(workDir, job.key());
        Outcome outcome;
        try {
            if (existing(job.key()).filter(c -> c.id().equals(container)).isEmpty()) {
                outcome = new Outcome.EngineError("container " + container + " vanished while the agent was away");
            } else {
                outcome = runtime.await(container, Duration.ofSeconds(Math.max(1, job.spec().timeoutSeconds())));
                var logs = runtime.logs(container, settings.logCapBytes());
                Files.write(workspace.logs().resolve("stdout"), logs.stdout());
                Files.write(workspace.logs().resolve("stderr"), logs.stderr());
            }
        } catch (ContainerRuntimeException e) {
            outcome = new Outcome.EngineError(e.getMessage());
        }
        long runtimeMillis = Math.max(0, clock.millis() - state.updatedEpochMillis());
        // 137: the SIGKILL of the kernel's OOM killer or of the timeout; -1: no exit code.
        int exitCode = outcome instanceof Outcome.Exited exited ? exited.exitCode()
                : outcome instanceof Outcome.EngineError ? -1 : 137;
        journal.append(job.key(), new JobStep.Finished(outcome.kind(), exitCode, runtimeMillis));
        removeContainers(job.key());
        metrics.finished(outcome.kind());
        LOG.info("job={} container ended: {} after {} ms", job.key(), outcome, runtimeMillis);
    }

    // --- outputs ---

    private void upload(ActiveJob job, JobState state) throws JobFailure, IOException {
        var finished = state.finished();
        switch (finished.outcome()) {
            case "exited" -> {
                if (finished.exitCode() != 0) {
                    throw new JobFailure(FailureReason.NON_ZERO_EXIT, finished.exitCode(), "the job's command exited with "
                            + finished.exitCode(), null);
                }
            }
            case "out-of-memory" -> throw new JobFailure(FailureReason.OOM, finished.exitCode(),
                    "killed at the memory limit of " + job.spec().resources().memoryMiB() + " MiB", null);
            case "timed-out" -> throw new JobFailure(FailureReason.TIMEOUT, finished.exitCode(),
                    "still running after " + job.spec().timeoutSeconds() + " s: killed", null);
            default -> throw new JobFailure(FailureReason.ENGINE_ERROR, null, "the engine could not run the container", null);
        }
        status.uploading(job.key(), job.clientOrg(), 0);
        var workspace = Workspace.of(workDir, job.key());
        corrupt(job, workspace);
        OutputManifest manifest;
        try {
            manifest = ResultDigest.withLimits(settings.maxOutputFiles(), settings.maxOutputBytes())
                    .compute(workspace.output());
        } catch (OutputRejectedException e) {
            boolean size = e.reason() == OutputRejectedException.Reason.TOO_LARGE
                    || e.reason() == OutputRejectedException.Reason.TOO_MANY_FILES;
            throw new JobFailure(size ? FailureReason.OUTPUT_TOO_LARGE : FailureReason.OUTPUT_REJECTED, null,
                    e.getMessage(), e);
        }
        String digest = manifest.digest().hex();
        var files = new ArrayList<OutputsRequest.OutputFile>();
        var bySha = new HashMap<String, Path>();
        for (var entry : manifest.entries()) {
            files.add(new OutputsRequest.OutputFile(entry.path(), entry.sha256().hex(), entry.size()));
            bySha.putIfAbsent(entry.sha256().hex(), workspace.output().resolve(entry.path()));
        }
        var logs = new ArrayList<OutputsRequest.LogFile>();
        for (String name : List.of("stdout", "stderr")) {
            Path log = workspace.logs().resolve(name);
            byte[] bytes = Files.exists(log) ? Files.readAllBytes(log) : new byte[0]; // capped at logCapBytes
            String sha = Sha256.hash(bytes).hex();
            logs.add(new OutputsRequest.LogFile(name, sha, bytes.length));
            if (!Files.exists(log)) {
                Files.write(log, bytes);
            }
            bySha.putIfAbsent(sha, log);
        }
        var request = new OutputsRequest(job.key().attempt(), digest, files, logs);
        var result = withRetries(job, FailureReason.UPLOAD_FAILED, () -> {
            var declared = exchange.declareOutputs(job.clientOrg(), job.key(), request);
            // Nothing to upload (the client org's store has every object) may come as an absent list.
            var grants = declared.uploads() == null ? List.<io.gridledger.exchange.OutputsResponse.UploadGrant>of()
                    : declared.uploads();
            for (var grant : grants) {
                Path file = bySha.get(grant.sha256());
                if (file == null) {
                    throw new ExchangeException("UNKNOWN_OBJECT", 0, "the gateway asked for " + grant.sha256()
                            + ", which is none of the declared files", null, null);
                }
                long started = System.nanoTime();
                try {
                    transfers.upload(grant.url(), file);
                } catch (IOException e) {
                    throw ExchangeException.unreachable("upload of " + file.getFileName() + ": " + e.getMessage(), e);
                }
                metrics.uploaded(grant.sizeBytes(), Duration.ofNanos(System.nanoTime() - started));
            }
            return exchange.complete(job.clientOrg(), job.key(), new CompleteRequest(job.key().attempt(), digest));
        });
        if (!digest.equals(result.resultDigest())) {
            throw new JobFailure(FailureReason.UPLOAD_FAILED, "the gateway recorded digest " + result.resultDigest()
                    + ", not " + digest);
        }
        journal.append(job.key(), new JobStep.OutputsUploaded(digest, digest));
    }

    /**
     * Fault injection (testing only, {@code gridledger.agent.faults.corrupt-results}): alters the outputs before they
     * are digested, so the manifest, the commitment and the reveal below all carry the same wrong digest.
     */
    private void corrupt(ActiveJob job, Workspace workspace) throws JobFailure {
        if (!corruption.enabled()) {
            return;
        }
        try {
            corruption.apply(workspace.output());
            LOG.info("job={} fault injection: outputs corrupted before the digest", job.key());
        } catch (IOException e) {
            throw new JobFailure(FailureReason.AGENT_DEFECT, null, "fault injection could not corrupt the outputs: "
                    + e.getMessage(), e);
        }
    }

    // --- commit ---

    private void prepareCommit(ActiveJob job, JobState state) throws IOException {
        var salt = Salt.random(random);
        var fingerprint = ResultFormats.fingerprint(job.key().jobId(), Sha256.ofHex(state.digest()));
        var commitment = ResultFormats.commitment(job.key().jobId(), job.key().replica(), node.nodeId(), fingerprint, salt);
        journal.append(job.key(), new JobStep.CommitPrepared(commitment.hex(), salt.hex()));
    }

    private void commit(ActiveJob job, JobState state) throws JobFailure, IOException {
        for (int attempt = 1; ; attempt++) {
            var onLedger = ownReplica(job);
            if (onLedger.isPresent() && onLedger.get().committed()) {
                if (!onLedger.get().commit().commitment().equals(state.commitment())) {
                    throw new JobFailure(FailureReason.COMMIT_FAILED, "the ledger holds another commitment for this replica");
                }
                journal.append(job.key(), new JobStep.Committed("on-ledger"));
                status.step(job.key(), job.clientOrg(), Step.COMMITTED);
                return;
            }
            try {
                var committed = ledger.commitResult(node.name(), job.key().jobId(), job.key().replica(), state.commitment());
                journal.append(job.key(), new JobStep.Committed(committed.txId()));
                status.step(job.key(), job.clientOrg(), Step.COMMITTED);
                LOG.info("job={} committed in tx {}", job.key(), committed.txId());
                return;
            } catch (ContractRefusal refusal) {
                var reason = refusal.code() == ContractErrorCode.DEADLINE_PASSED ? FailureReason.DEADLINE_PASSED
                        : refusal.code() == ContractErrorCode.WRONG_STATE ? FailureReason.CANCELLED : FailureReason.COMMIT_FAILED;
                throw new JobFailure(reason, null, refusal.getMessage(), refusal);
            } catch (CommitStatusUnknown unknown) {
                LOG.warn("job={} commit {} status unknown; reading the ledger", job.key(), unknown.txId().orElse("?"));
            } catch (LedgerException e) {
                if (clock.millis() / 1000 > job.commitDeadline() + job.clockToleranceSeconds() || attempt >= 30) {
                    throw new JobFailure(FailureReason.COMMIT_FAILED, null, e.getMessage(), e);
                }
                LOG.warn("job={} commit failed ({}); trying again", job.key(), e.getMessage());
            }
            pause(Duration.ofMillis(Math.min(5_000, 200L * attempt)));
        }
    }

    // --- reveal ---

    /**
     * Opens the commitment when the job's round is in its reveal phase; does nothing while it still waits for
     * commits. Returns true once the job needs nothing more from this node (revealed, or over).
     */
    public boolean tryReveal(ActiveJob job) {
        MDC.put("job", job.key().toString());
        try {
            var state = journal.state(job.key()).orElse(null);
            if (state == null || state.phase().terminal()) {
                return true;
            }
            if (state.phase() != JobState.Phase.COMMITTED) {
                return false;
            }
            JobView view = ledger.getJob(node.name(), job.key().jobId());
            var replica = view.replicas().stream().filter(r -> r.assignment().index() == job.key().replica()).findFirst();
            if (replica.isEmpty() || replica.get().assignment().attempt() != job.key().attempt()
                    || !replica.get().assignment().isActive()) {
                fail(job, new JobFailure(FailureReason.CANCELLED, "the replica was reassigned or timed out before the reveal"));
                return true;
            }
            if (replica.get().revealed()) {
                journal.append(job.key(), new JobStep.Revealed("on-ledger"));
                status.step(job.key(), job.clientOrg(), Step.REVEALED);
                cleanUp(job.key());
                return true;
            }
            if (view.job().isFinished()) {
                fail(job, new JobFailure(FailureReason.CANCELLED, "job ended " + view.job().status() + " before the reveal"));
                return true;
            }
            if (!revealOpen(view, job)) {
                return false;
            }
            var digest = Sha256.ofHex(state.digest());
            String result = job.tieBreaker() ? digest.hex() : ResultFormats.fingerprint(job.key().jobId(), digest).hex();
            long runtimeSeconds = Math.max(1, (state.finished().runtimeMillis() + 999) / 1000);
            try {
                var revealed = ledger.revealResult(node.name(), job.key().jobId(), job.key().replica(), result,
                        state.salt(), runtimeSeconds);
                journal.append(job.key(), new JobStep.Revealed(revealed.txId()));
            } catch (ContractRefusal refusal) {
                if (refusal.code() == ContractErrorCode.WRONG_STATE) {
                    LOG.debug("job={} not revealable yet: {}", job.key(), refusal.reason());
                    return false;
                }
                fail(job, new JobFailure(FailureReason.REVEAL_FAILED, null, refusal.getMessage(), refusal));
                return true;
            }
            status.step(job.key(), job.clientOrg(), Step.REVEALED);
            LOG.info("job={} revealed", job.key());
            cleanUp(job.key());
            return true;
        } catch (LedgerException e) {
            LOG.warn("job={} reveal not possible now ({}); trying again at the next event", job.key(), e.getMessage());
            return false;
        } catch (IOException e) {
            LOG.error("job={} the journal failed at the reveal: {}", job.key(), e.toString());
            return false;
        } finally {
            MDC.remove("job");
        }
    }

    /**
     * Whether the contract takes the round's reveals now: once every active replica of the round committed (the job's
     * phase stays COMMIT then, commits write only their own keys), or once expiry moved the job to its REVEAL phase.
     */
    static boolean revealOpen(JobView view, ActiveJob job) {
        var current = view.job();
        if (current.round() != job.round()) {
            return false;
        }
        return current.phase() == io.gridledger.ledger.Job.Phase.REVEAL
                || current.phase() == io.gridledger.ledger.Job.Phase.COMMIT
                && view.currentReplicas().stream().allMatch(JobView.ReplicaView::committed);
    }

    // --- endings ---

    /** Ends the attempt: journalled failed, its container and folders removed, then told. */
    void fail(ActiveJob job, JobFailure failure) {
        LOG.info("job={} failed: {}", job.key(), failure.getMessage());
        try {
            journal.append(job.key(), new JobStep.Failed(failure.reason().name() + ": " + failure.getMessage()));
        } catch (IOException e) {
            LOG.error("job={} the journal failed recording the failure: {}", job.key(), e.toString());
        } catch (RuntimeException e) {
            LOG.debug("job={} already ended: {}", job.key(), e.getMessage());
            return;
        }
        // Cleaned up before it is told, so a consumer that sees `failed` sees the node's resources freed.
        cleanUp(job.key());
        status.failed(job.key(), job.clientOrg(), failure.reason(), failure.exitCode());
        metrics.failed(failure.reason());
    }

    void cleanUp(JobKey key) {
        removeContainers(key);
        try {
            Workspace.of(workDir, key).delete();
        } catch (IOException e) {
            LOG.warn("job={} its work folder could not be removed: {}", key, e.getMessage());
        }
    }

    private void removeContainers(JobKey key) {
        try {
            runtime.removeAll(Optional.of(key));
        } catch (ContainerRuntimeException e) {
            LOG.warn("job={} its container could not be removed now ({}); the next start sweeps it", key, e.getMessage());
        }
    }

    private Optional<ContainerSummary> existing(JobKey key) throws ContainerRuntimeException {
        return runtime.list(Optional.of(key)).stream().findFirst();
    }

    private Optional<JobView.ReplicaView> ownReplica(ActiveJob job) {
        try {
            return ledger.getJob(node.name(), job.key().jobId()).replicas().stream()
                    .filter(r -> r.assignment().index() == job.key().replica()
                            && r.assignment().attempt() == job.key().attempt()).findFirst();
        } catch (LedgerException e) {
            return Optional.empty();
        }
    }

    interface ExchangeCall<T> {
        T call() throws ExchangeException;
    }

    /**
     * An exchange call, tried again after transient failures; a replica gone or a refusal ends the attempt. The client
     * org's gateway or store being down (unreachable, 503) is waited out as long as the commitment can still be made in
     * time: giving up earlier would leave the replica to miss its commit deadline anyway, and the honest node slashed
     * for a no-show. Other retryable failures get {@link #TRANSIENT_ATTEMPTS} tries.
     */
    private <T> T withRetries(ActiveJob job, FailureReason reason, ExchangeCall<T> call) throws JobFailure {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (ExchangeException e) {
                if (e.replicaGone()) {
                    throw new JobFailure(FailureReason.CANCELLED, null, e.getMessage(), e);
                }
                if (e.code().equals("INPUT_MISSING")) {
                    throw new JobFailure(FailureReason.INPUT_MISSING, null, e.getMessage(), e);
                }
                boolean again = e.transientFailure() || e.code().equals("UPLOAD_MISMATCH");
                var pause = e.retryAfter().orElse(Duration.ofMillis(500L * Math.min(attempt, 10)));
                boolean timeLeft = attempt < TRANSIENT_ATTEMPTS || e.transientFailure() && beforeCommitReserve(job, pause);
                if (!again || !timeLeft) {
                    throw new JobFailure(reason, null, e.getMessage(), e);
                }
                LOG.warn("job={} {}; trying again", job.key(), e.getMessage());
                pause(pause);
            }
        }
    }

    /** Whether, after {@code pause}, there is still {@link #COMMIT_RESERVE} left before the replica's commit deadline. */
    private boolean beforeCommitReserve(ActiveJob job, Duration pause) {
        return clock.millis() + pause.toMillis() + COMMIT_RESERVE.toMillis() < job.commitDeadline() * 1000;
    }

    private static void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
