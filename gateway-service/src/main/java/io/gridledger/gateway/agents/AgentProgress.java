package io.gridledger.gateway.agents;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latest step of every replica this gateway heard of, from its own agents (Kafka) and from other orgs' agents
 * (the node exchange), and the stream of steps that changed one. A step that does not supersede the replica's latest
 * ({@link ReplicaProgress#supersedes}: a duplicate, a late record, an earlier attempt) changes nothing and is not
 * streamed, so redeliveries and reordering never repeat or regress a step. Memory is bounded: the
 * {@code maxJobs} jobs changed most recently are kept.
 *
 * <pre>{@code
 * progress.record(step);                 // Optional.of(step) if it became the replica's latest
 * progress.replicas("j-…");              // latest step per replica
 * progress.inProgressOn(nodeId);         // what a node is working on
 * progress.changes().subscribe(…);       // every step that became a latest, as it does
 * }</pre>
 */
@Singleton
public final class AgentProgress {

    private static final Logger LOG = LoggerFactory.getLogger(AgentProgress.class);

    /** Job id → replica index → latest step. Guarded by {@code this}; access order, eldest dropped past the bound. */
    private final Map<String, Map<Integer, ReplicaProgress>> jobs;
    private final Sinks.Many<ReplicaProgress> changes = Sinks.many().multicast().directBestEffort();

    public AgentProgress(AgentStatusSettings settings) {
        int max = settings.maxJobs();
        this.jobs = new LinkedHashMap<>(Math.min(max, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<Integer, ReplicaProgress>> eldest) {
                return size() > max;
            }
        };
    }

    /** Takes a step; answers it if it became its replica's latest (and was streamed), empty if it changed nothing. */
    public synchronized Optional<ReplicaProgress> record(ReplicaProgress step) {
        var replicas = jobs.computeIfAbsent(step.jobId(), id -> new TreeMap<>());
        var current = replicas.get(step.replica());
        if (current != null && !step.supersedes(current)) {
            LOG.debug("step {} {} of {} at {} does not supersede {} at {}", step.dispatchKey(), step.step(), step.nodeId(),
                    step.at(), current.step(), current.at());
            return Optional.empty();
        }
        replicas.put(step.replica(), step);
        changes.emitNext(step, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
        return Optional.of(step);
    }

    /** The latest step of each replica of the job this gateway knows, by replica index. */
    public synchronized List<ReplicaProgress> replicas(String jobId) {
        var replicas = jobs.get(jobId);
        if (replicas == null) {
            return List.of();
        }
        var list = new ArrayList<>(replicas.values());
        list.sort(Comparator.comparingInt(ReplicaProgress::replica));
        return list;
    }

    /** The replicas whose latest step is on {@code nodeId} and has not ended the attempt, by job id and replica. */
    public synchronized List<ReplicaProgress> inProgressOn(String nodeId) {
        var list = new ArrayList<ReplicaProgress>();
        for (var replicas : jobs.values()) {
            for (var step : replicas.values()) {
                if (step.nodeId().equals(nodeId) && !step.step().endsAttempt()) {
                    list.add(step);
                }
            }
        }
        list.sort(Comparator.comparing(ReplicaProgress::jobId).thenComparingInt(ReplicaProgress::replica));
        return list;
    }

    /** Each step that became a replica's latest, from the moment of subscribing (a slow subscriber misses steps). */
    public Flux<ReplicaProgress> changes() {
        return changes.asFlux();
    }

    /** How many jobs are kept. */
    public synchronized int size() {
        return jobs.size();
    }
}
