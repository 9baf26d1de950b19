package io.gridledger.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.gridledger.agent.JobKey;
import io.gridledger.agent.runtime.CapturedLogs;
import io.gridledger.agent.runtime.ContainerId;
import io.gridledger.agent.runtime.ContainerRuntime;
import io.gridledger.agent.runtime.ContainerRuntimeException;
import io.gridledger.agent.runtime.ContainerSummary;
import io.gridledger.agent.runtime.EngineInfo;
import io.gridledger.agent.runtime.GpuInventory;
import io.gridledger.agent.runtime.ImageRef;
import io.gridledger.agent.runtime.Mount;
import io.gridledger.agent.runtime.Outcome;
import io.gridledger.agent.runtime.RunSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link ContainerRuntime} over docker-java (zerodep transport on a unix socket), for dockerd and for Podman's
 * Docker-compatible service. The only class in the agent that sees docker-java.
 *
 * <p>Where the two engines differ, this adapter does what works on both:
 * <ul>
 *   <li>no network is {@code NetworkMode=none} (Podman ignores {@code NetworkDisabled});</li>
 *   <li>waiting polls {@code inspect} with a growing interval (5 ms → 250 ms) instead of {@code /wait}, which burns a
 *       core per waiter on Podman 4 (podman issue 18150); the deadline counts from the container's own
 *       {@code StartedAt}, so an agent that restarts keeps it;</li>
 *   <li>out-of-memory: Docker's {@code OOMKilled}; on Podman, which reports false, the container runs under a cgroup
 *       parent of its own whose peak memory is read after the exit ({@link CgroupMemory});</li>
 *   <li>images are only inspected, never pulled: a missing image fails at once, naming it.</li>
 * </ul>
 *
 * Every container: read-only root file system with a 64 MiB {@code /tmp} tmpfs, all capabilities dropped,
 * {@code no-new-privileges}, memory = memory + swap limit, CFS quota, pids limit, labels
 * {@code io.gridledger.job/replica/attempt}, and the name {@code gridledger-<job>-r<replica>-a<attempt>-<hash>}, so a
 * second container for the same attempt is refused by the engine itself.
 *
 * <pre>{@code
 * try (var runtime = DockerJavaRuntime.connect(URI.create("unix:///run/podman/podman.sock"))) {
 *     ContainerRun run = runtime.run(spec);
 * }
 * }</pre>
 */
public final class DockerJavaRuntime implements ContainerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DockerJavaRuntime.class);

    static final String LABEL_MANAGED = "io.gridledger.managed";
    static final String LABEL_JOB = "io.gridledger.job";
    static final String LABEL_REPLICA = "io.gridledger.replica";
    static final String LABEL_ATTEMPT = "io.gridledger.attempt";
    static final String LABEL_OWNER = "io.gridledger.owner";
    static final String CGROUP_PARENT_PREFIX = "/gridledger/";
    private static final long CPU_PERIOD_MICROS = 100_000;
    private static final String TMPFS_OPTIONS = "rw,nosuid,nodev,size=64m,mode=1777";
    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Inspections of a container that Podman answers "no such process" while its process exits. */
    private static final int INSPECT_ATTEMPTS = 5;
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final Duration KILL_GRACE = Duration.ofSeconds(20);

    /**
     * How the runtime is set up beyond the socket. {@code owner} (the node's id), when set, labels every container this
     * runtime creates and confines {@link #list}/{@link #removeAll} to those labelled so: several agents on one engine
     * (the local consortium runs one per org on one dockerd) then never see, adopt or sweep each other's containers.
     * Without an owner the runtime sees every GridLedger container of the engine.
     */
    public record Options(GpuInventory gpus, Path cgroupRoot, Duration responseTimeout, @Nullable String owner) {
        public Options {
            Objects.requireNonNull(gpus, "gpus");
            Objects.requireNonNull(cgroupRoot, "cgroupRoot");
            Objects.requireNonNull(responseTimeout, "responseTimeout");
        }

        public static Options defaults(GpuInventory gpus) {
            return new Options(gpus, Path.of("/sys/fs/cgroup"), Duration.ofMinutes(2), null);
        }

        public Options withOwner(String owner) {
            return new Options(gpus, cgroupRoot, responseTimeout, Objects.requireNonNull(owner, "owner"));
        }
    }

    private final DockerClient client;
    private final EngineInfo engine;
    private final Options options;
    private final CgroupMemory cgroups;
    private final boolean ownCgroupParent;

    private DockerJavaRuntime(DockerClient client, EngineInfo engine, Options options) {
        this.client = client;
        this.engine = engine;
        this.options = options;
        this.cgroups = new CgroupMemory(options.cgroupRoot());
        this.ownCgroupParent = !engine.reportsOomKilled() && "cgroupfs".equals(engine.cgroupDriver());
    }

    /**
     * Connects to the engine at {@code socket} ({@code unix:///var/run/docker.sock},
     * {@code unix:///run/podman/podman.sock}) and asks what it is.
     */
    public static DockerJavaRuntime connect(URI socket, Options options) throws ContainerRuntimeException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(options, "options");
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(socket.toString())
                .withDockerTlsVerify(false)
                .build();
        var http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(options.responseTimeout())
                .build();
        DockerClient client = DockerClientImpl.getInstance(config, http);
        try {
            var version = client.versionCmd().exec();
            var info = client.infoCmd().exec();
            boolean podman = version.getComponents() != null && version.getComponents().stream()
                    .anyMatch(component -> component.getName() != null && component.getName().contains("Podman"));
            var engine = new EngineInfo(podman ? "podman" : "docker", String.valueOf(version.getVersion()),
                    String.valueOf(version.getApiVersion()), String.valueOf(info.getCGroupDriver()),
                    String.valueOf(info.getCGroupVersion()), !podman);
            LOG.info("container engine at {}: {}", socket, engine);
            return new DockerJavaRuntime(client, engine, options);
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw new ContainerRuntimeException.EngineFailure("no container engine answers at " + socket + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public EngineInfo engine() {
        return engine;
    }

    @Override
    public boolean hasImage(ImageRef image) throws ContainerRuntimeException {
        return inspectImage(image).isPresent();
    }

    private Optional<InspectImageResponse> inspectImage(ImageRef image) throws ContainerRuntimeException {
        InspectImageResponse found;
        try {
            found = client.inspectImageCmd(image.reference()).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw failure("inspecting image " + image, e);
        }
        // The engine resolved the reference; make sure it is the pinned content and not a name that happened to match.
        boolean matches = image.isImageId() ? image.digest().equals(found.getId())
                : found.getRepoDigests() != null && found.getRepoDigests().stream()
                .anyMatch(digest -> digest.endsWith("@" + image.digest()));
        return matches ? Optional.of(found) : Optional.empty();
    }

    @Override
    public ContainerId create(RunSpec spec) throws ContainerRuntimeException {
        Objects.requireNonNull(spec, "spec");
        InspectImageResponse image = inspectImage(spec.image())
                .orElseThrow(() -> new ContainerRuntimeException.ImageNotFound(spec.image(), engine.toString()));
        if (spec.gpus() > 0 && options.gpus().count() < spec.gpus()) {
            throw new ContainerRuntimeException.GpuUnavailable("job " + spec.job() + " asks for " + spec.gpus()
                    + " GPU(s); this node can pass through " + options.gpus().count() + ": "
                    + options.gpus().describe());
        }
        String name = containerName(spec.job());
        if (ownCgroupParent) {
            cgroups.retryPending(); // parents earlier removals found busy (conmon exits just after its container)
        }
        prepareWritableMounts(spec);
        HostConfig host = hostConfig(spec, name);
        var labels = new LinkedHashMap<String, String>();
        labels.put(LABEL_MANAGED, "true");
        labels.put(LABEL_JOB, spec.job().jobId());
        labels.put(LABEL_REPLICA, Integer.toString(spec.job().replica()));
        labels.put(LABEL_ATTEMPT, Integer.toString(spec.job().attempt()));
        if (options.owner() != null) {
            labels.put(LABEL_OWNER, options.owner());
        }
        var env = new ArrayList<String>();
        spec.environment().forEach((key, value) -> env.add(key + "=" + value));
        try {
            var create = client.createContainerCmd(image.getId())
                    .withName(name)
                    .withLabels(labels)
                    .withEnv(env)
                    .withNetworkDisabled(!spec.network())
                    .withHostConfig(host);
            if (!spec.command().isEmpty()) {
                create.withCmd(spec.command());
            }
            spec.user().ifPresent(create::withUser);
            var id = new ContainerId(create.exec().getId());
            LOG.debug("job {}: created container {} ({})", spec.job(), id, name);
            return id;
        } catch (ConflictException e) {
            throw new ContainerRuntimeException.AlreadyExists(name, e);
        } catch (NotFoundException e) {
            throw new ContainerRuntimeException.ImageNotFound(spec.image(), engine.toString());
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("name is already in use")) {
                throw new ContainerRuntimeException.AlreadyExists(name, e); // Podman answers 500, not 409
            }
            throw failure("creating the container of job " + spec.job(), e);
        }
    }

    /** What the engine is told about limits, isolation and mounts (package-private: the GPU mapping is tested here). */
    HostConfig hostConfig(RunSpec spec, String name) {
        var binds = new ArrayList<Bind>();
        for (Mount mount : spec.mounts()) {
            binds.add(new Bind(mount.hostPath().toString(), new Volume(mount.containerPath()),
                    mount.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(spec.network() ? "bridge" : "none")
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", TMPFS_OPTIONS))
                .withMemory(spec.limits().memoryBytes())
                .withMemorySwap(spec.limits().memoryBytes())
                .withCpuPeriod(CPU_PERIOD_MICROS)
                .withCpuQuota(spec.limits().cpuMillis() * CPU_PERIOD_MICROS / 1000)
                .withPidsLimit(spec.limits().pids())
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withBinds(binds);
        if (ownCgroupParent) {
            host.withCgroupParent(CGROUP_PARENT_PREFIX + name);
        }
        if (spec.gpus() > 0) {
            host.withDeviceRequests(List.of(new DeviceRequest().withDriver("nvidia").withCount(spec.gpus())
                    .withCapabilities(List.of(List.of("gpu")))));
        }
        return host;
    }

    /** Writable mounts belong to the container's numeric user, so a job running as nobody can write its outputs. */
    private static void prepareWritableMounts(RunSpec spec) {
        Optional<String> user = spec.user().filter(value -> value.matches("[0-9]+(:[0-9]+)?"));
        if (user.isEmpty()) {
            return;
        }
        String[] ids = user.get().split(":");
        int uid = Integer.parseInt(ids[0]);
        int gid = ids.length > 1 ? Integer.parseInt(ids[1]) : uid;
        for (Mount mount : spec.mounts()) {
            if (!mount.readOnly()) {
                try {
                    Files.setAttribute(mount.hostPath(), "unix:uid", uid);
                    Files.setAttribute(mount.hostPath(), "unix:gid", gid);
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    LOG.warn("job {}: cannot give {} to {}:{} ({}); the job may not be able to write it",
                            spec.job(), mount.hostPath(), uid, gid, e.toString());
                }
            }
        }
    }

    @Override
    public void start(ContainerId id) throws ContainerRuntimeException {
        try {
            client.startContainerCmd(id.value()).exec();
        } catch (NotModifiedException e) {
            // Already running: a restarted agent starting what it had started.
        } catch (RuntimeException e) {
            throw failure("starting container " + id, e);
        }
    }

    @Override
    public Outcome await(ContainerId id, Duration timeout) throws ContainerRuntimeException {
        Objects.requireNonNull(timeout, "timeout");
        long pause = FIRST_POLL_NANOS;
        while (true) {
            InspectContainerResponse inspect = inspect(id);
            var state = inspect.getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                if ("created".equals(state.getStatus())) {
                    throw new ContainerRuntimeException.EngineFailure("container " + id + " was never started", null);
                }
                return outcomeOf(inspect, timeout, false);
            }
            Instant deadline = instant(state.getStartedAt()).orElseGet(Instant::now).plus(timeout);
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                kill(id);
                return outcomeOf(waitForExit(id), timeout, true);
            }
            LockSupport.parkNanos(Math.min(pause, left.toNanos()));
            pause = Math.min(pause * 3 / 2, MAX_POLL_NANOS);
        }
    }

    private Outcome outcomeOf(InspectContainerResponse inspect, Duration timeout, boolean killedByAgent) {
        var state = inspect.getState();
        long limit = inspect.getHostConfig() == null || inspect.getHostConfig().getMemory() == null ? 0
                : inspect.getHostConfig().getMemory();
        long exit = state.getExitCodeLong() == null ? -1 : state.getExitCodeLong();
        if (killedByAgent) {
            return new Outcome.TimedOut(timeout);
        }
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
            return new Outcome.OutOfMemory(limit, "the engine reported OOMKilled");
        }
        if (state.getError() != null && !state.getError().isBlank()) {
            return new Outcome.EngineError(state.getError());
        }
        if (exit == 137) {
            // Killed at the deadline by an agent that crashed before recording it.
            Optional<Instant> started = instant(state.getStartedAt());
            Optional<Instant> finished = instant(state.getFinishedAt());
            if (started.isPresent() && finished.isPresent()
                    && Duration.between(started.get(), finished.get()).compareTo(timeout) >= 0) {
                return new Outcome.TimedOut(timeout);
            }
            if (!engine.reportsOomKilled() && limit > 0) {
                Optional<String> evidence = cgroups.oomEvidence(inspect.getHostConfig().getCgroupParent(), limit);
                if (evidence.isPresent()) {
                    return new Outcome.OutOfMemory(limit, evidence.get());
                }
            }
        }
        return new Outcome.Exited((int) exit);
    }

    private void kill(ContainerId id) throws ContainerRuntimeException {
        try {
            client.killContainerCmd(id.value()).exec();
        } catch (ConflictException | NotFoundException e) {
            // It ended meanwhile: waitForExit reads how.
        } catch (RuntimeException e) {
            throw failure("killing container " + id, e);
        }
    }

    private InspectContainerResponse waitForExit(ContainerId id) throws ContainerRuntimeException {
        long until = System.nanoTime() + KILL_GRACE.toNanos();
        long pause = FIRST_POLL_NANOS;
        while (true) {
            InspectContainerResponse inspect = inspect(id);
            if (!Boolean.TRUE.equals(inspect.getState().getRunning())) {
                return inspect;
            }
            if (System.nanoTime() > until) {
                throw new ContainerRuntimeException.EngineFailure("container " + id + " still runs " + KILL_GRACE
                        + " after SIGKILL", null);
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 3 / 2, MAX_POLL_NANOS);
        }
    }

    private InspectContainerResponse inspect(ContainerId id) throws ContainerRuntimeException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.inspectContainerCmd(id.value()).exec();
            } catch (NotFoundException e) {
                throw new ContainerRuntimeException.EngineFailure("container " + id + " is gone", e);
            } catch (InternalServerErrorException e) {
                // Podman inspects a container whose process has just exited by reading /proc/<pid>/cgroup and answers
                // 500 "no such process" for that instant; the next inspect sees the exited state.
                if (attempt >= INSPECT_ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("no such process")) {
                    throw failure("inspecting container " + id, e);
                }
                LockSupport.parkNanos(FIRST_POLL_NANOS * attempt);
            } catch (RuntimeException e) {
                throw failure("inspecting container " + id, e);
            }
        }
    }

    @Override
    public CapturedLogs logs(ContainerId id, long capBytes) throws ContainerRuntimeException {
        var capture = new LogCapture(capBytes);
        try {
            client.logContainerCmd(id.value()).withStdOut(true).withStdErr(true).withFollowStream(false)
                    .exec(capture).awaitCompletion(options.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerRuntimeException.EngineFailure("interrupted reading the logs of " + id, e);
        } catch (RuntimeException e) {
            throw failure("reading the logs of container " + id, e);
        }
        return capture.result();
    }

    @Override
    public void remove(ContainerId id) throws ContainerRuntimeException {
        String cgroupParent = null;
        try {
            var inspect = client.inspectContainerCmd(id.value()).exec();
            cgroupParent = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getCgroupParent();
            client.removeContainerCmd(id.value()).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            return;
        } catch (RuntimeException e) {
            throw failure("removing container " + id, e);
        }
        cgroups.removeParent(cgroupParent);
    }

    @Override
    public List<ContainerSummary> list(Optional<JobKey> job) throws ContainerRuntimeException {
        var filter = new LinkedHashMap<String, String>();
        filter.put(LABEL_MANAGED, "true");
        if (options.owner() != null) {
            filter.put(LABEL_OWNER, options.owner());
        }
        job.ifPresent(key -> {
            filter.put(LABEL_JOB, key.jobId());
            filter.put(LABEL_REPLICA, Integer.toString(key.replica()));
            filter.put(LABEL_ATTEMPT, Integer.toString(key.attempt()));
        });
        List<Container> containers;
        try {
            containers = client.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec();
        } catch (RuntimeException e) {
            throw failure("listing GridLedger containers", e);
        }
        var found = new ArrayList<ContainerSummary>();
        for (Container container : containers) {
            Map<String, String> labels = container.getLabels() == null ? Map.of() : container.getLabels();
            // Engines apply the label filter; checking again keeps a lax engine from handing us someone else's.
            if (!filter.entrySet().stream().allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())))) {
                continue;
            }
            JobKey key;
            try {
                key = new JobKey(labels.get(LABEL_JOB), Integer.parseInt(labels.get(LABEL_REPLICA)),
                        Integer.parseInt(labels.get(LABEL_ATTEMPT)));
            } catch (RuntimeException e) {
                LOG.warn("container {} has malformed GridLedger labels {}", container.getId(), labels);
                continue;
            }
            String name = container.getNames() == null || container.getNames().length == 0 ? ""
                    : container.getNames()[0].replaceFirst("^/", "");
            found.add(new ContainerSummary(new ContainerId(container.getId()), key, name,
                    String.valueOf(container.getState())));
        }
        return found;
    }

    @Override
    public int removeAll(Optional<JobKey> job) throws ContainerRuntimeException {
        int removed = 0;
        for (ContainerSummary container : list(job)) {
            remove(container.id());
            removed++;
        }
        if (ownCgroupParent) {
            if (job.isEmpty()) {
                cgroups.sweep(); // orphan cleanup at start-up: parents of containers an earlier agent left
            } else {
                cgroups.retryPending();
            }
        }
        return removed;
    }

    @Override
    public void close() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (ownCgroupParent && !cgroups.retryPending() && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // conmon is about to leave its cgroup
        }
        closeQuietly(client);
    }

    /**
     * The container's name for a job attempt: readable, valid for both engines, and unique per attempt (a hash of the
     * exact job id keeps two ids that sanitize alike apart).
     */
    static String containerName(JobKey job) {
        String readable = job.jobId().replaceAll("[^a-zA-Z0-9_.-]", "_");
        if (readable.length() > 80) {
            readable = readable.substring(0, 80);
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(job.jobId().getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return "gridledger-" + readable + "-r" + job.replica() + "-a" + job.attempt() + "-"
                + HexFormat.of().formatHex(hash, 0, 4);
    }

    private static Optional<Instant> instant(String engineTime) {
        if (engineTime == null || engineTime.isBlank() || engineTime.startsWith("0001-01-01")) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(engineTime).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private ContainerRuntimeException failure(String what, RuntimeException e) {
        return new ContainerRuntimeException.EngineFailure(what + " failed on " + engine.kind() + ": "
                + e.getMessage(), e);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing the docker client: {}", e.toString());
        }
    }

    /** Keeps the first {@code cap} bytes of each stream; stops reading once both streams passed it. */
    private static final class LogCapture extends ResultCallback.Adapter<Frame> {
        private final long cap;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private long stdoutBytes;
        private long stderrBytes;

        LogCapture(long cap) {
            this.cap = cap;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            byte[] payload = frame.getPayload();
            if (payload == null) {
                return;
            }
            if (frame.getStreamType() == StreamType.STDERR) {
                stderrBytes += keep(stderr, payload);
            } else {
                stdoutBytes += keep(stdout, payload);
            }
            if (stdoutBytes > cap && stderrBytes > cap) {
                try {
                    close();
                } catch (IOException e) {
                    LOG.debug("closing a log stream: {}", e.toString());
                }
            }
        }

        private long keep(ByteArrayOutputStream kept, byte[] payload) {
            int room = (int) Math.max(0, Math.min(payload.length, cap - kept.size()));
            kept.write(payload, 0, room);
            return payload.length;
        }

        synchronized CapturedLogs result() {
            return new CapturedLogs(stdout.toByteArray(), stderr.toByteArray(), stdoutBytes, stderrBytes,
                    stdoutBytes > cap || stderrBytes > cap);
        }
    }
}
