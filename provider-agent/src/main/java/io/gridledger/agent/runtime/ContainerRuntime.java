package io.gridledger.agent.runtime;

import io.gridledger.agent.JobKey;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The container engine as the agent needs it, in GridLedger's own types (like Vespa's {@code Docker} interface: no
 * engine client type crosses it). One adapter, {@code runtime.docker.DockerJavaRuntime}, speaks the Docker API to
 * dockerd or to Podman's Docker-compatible socket.
 *
 * <p>The steps are separate so the agent can journal between them (created, started, finished); {@link #run} chains
 * them for callers that need no journal. Every container carries its job's labels, so a restarted agent finds what
 * it left behind with {@link #list} and removes it with {@link #removeAll}.
 *
 * <pre>{@code
 * ContainerId id = runtime.create(spec);          // journal: container-created
 * runtime.start(id);                              // journal: container-started
 * Outcome outcome = runtime.await(id, spec.timeout());
 * CapturedLogs logs = runtime.logs(id, spec.logCapBytes());
 * runtime.remove(id);
 * }</pre>
 */
public interface ContainerRuntime extends AutoCloseable {

    /** The engine behind this runtime. */
    EngineInfo engine();

    /** Whether the pinned image is on this node (never pulls). */
    boolean hasImage(ImageRef image) throws ContainerRuntimeException;

    /**
     * Creates the job's container with every limit of {@code spec}, without starting it.
     *
     * @throws ContainerRuntimeException.ImageNotFound  the image is not on the node
     * @throws ContainerRuntimeException.GpuUnavailable the job asks for GPUs the node lacks
     * @throws ContainerRuntimeException.AlreadyExists  this job attempt already has a container
     */
    ContainerId create(RunSpec spec) throws ContainerRuntimeException;

    void start(ContainerId id) throws ContainerRuntimeException;

    /**
     * Waits until the container ends or {@code timeout} has passed since it started (so a restarted agent keeps the
     * original deadline), killing it then. Waits without busy polling.
     */
    Outcome await(ContainerId id, Duration timeout) throws ContainerRuntimeException;

    /** At most {@code capBytes} of each of stdout and stderr. */
    CapturedLogs logs(ContainerId id, long capBytes) throws ContainerRuntimeException;

    /** Removes the container (killing it if it runs) and whatever the runtime set up for it; absent is fine. */
    void remove(ContainerId id) throws ContainerRuntimeException;

    /** GridLedger's containers on this engine, all of them or those of one job attempt. */
    List<ContainerSummary> list(Optional<JobKey> job) throws ContainerRuntimeException;

    /** Removes GridLedger's containers, all of them or those of one job attempt; returns how many. */
    int removeAll(Optional<JobKey> job) throws ContainerRuntimeException;

    /**
     * Create, start, await, capture logs and remove, as one call. Failures after the container exists become an
     * {@link Outcome.EngineError}; the container is removed in every case.
     */
    default ContainerRun run(RunSpec spec) throws ContainerRuntimeException {
        long created = System.nanoTime();
        ContainerId id = create(spec);
        try {
            Outcome outcome;
            CapturedLogs logs = CapturedLogs.empty();
            long started = System.nanoTime();
            Duration startLatency = Duration.ZERO;
            try {
                start(id);
                started = System.nanoTime();
                startLatency = Duration.ofNanos(started - created);
                outcome = await(id, spec.timeout());
            } catch (ContainerRuntimeException e) {
                outcome = new Outcome.EngineError(e.getMessage());
            }
            Duration runtime = Duration.ofNanos(System.nanoTime() - started);
            try {
                logs = logs(id, spec.logCapBytes());
            } catch (ContainerRuntimeException e) {
                if (!(outcome instanceof Outcome.EngineError)) {
                    outcome = new Outcome.EngineError("reading logs failed: " + e.getMessage());
                }
            }
            return new ContainerRun(id, outcome, logs, startLatency, runtime);
        } finally {
            remove(id);
        }
    }

    @Override
    void close();
}
