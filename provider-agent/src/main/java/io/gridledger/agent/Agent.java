package io.gridledger.agent;

import io.gridledger.agent.config.AgentFaults;
import io.gridledger.agent.config.AgentSettings;
import io.gridledger.agent.market.MarketPresence;
import io.gridledger.agent.node.NodeResources;
import io.gridledger.agent.node.NvidiaSmi;
import io.gridledger.agent.node.ResourceDetector;
import io.gridledger.agent.status.NodeStatus;
import io.gridledger.agent.status.StatusReporter;
import io.gridledger.agent.work.Recovery;
import io.gridledger.agent.work.RevealWatcher;
import io.gridledger.agent.work.WorkScheduler;
import io.gridledger.agent.work.kafka.AssignmentListener;
import io.micronaut.configuration.kafka.ConsumerRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The provider agent's life: at start it detects the node, joins the market (its offer active), recovers what the
 * journal holds, starts following the ledger for reveals, then opens the assignments consumer; it pauses the
 * consumer whenever every slot is busy. It sends a heartbeat every interval and at each change of state; at a clean
 * stop it pauses its offer and says it is offline.
 */
@Context
public final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    /** The node's state in its heartbeats (AGENT-STATUS.md). */
    public enum State { STARTING, ONLINE, PAUSED, DRAINING, OFFLINE }

    private final AgentSettings settings;
    private final AgentFaults faults;
    private final NodeIdentity node;
    private final MarketPresence market;
    private final Recovery recovery;
    private final RevealWatcher reveals;
    private final WorkScheduler scheduler;
    private final ConsumerRegistry consumers;
    private final StatusReporter status;
    private final Clock clock;
    private volatile NodeResources resources;
    private volatile State state = State.STARTING;

    public Agent(AgentSettings settings, AgentFaults faults, NodeIdentity node, MarketPresence market,
                 Recovery recovery, RevealWatcher reveals, WorkScheduler scheduler, ConsumerRegistry consumers,
                 StatusReporter status, Clock clock) {
        this.settings = settings;
        this.faults = faults;
        this.node = node;
        this.market = market;
        this.recovery = recovery;
        this.reveals = reveals;
        this.scheduler = scheduler;
        this.consumers = consumers;
        this.status = status;
        this.clock = clock;
    }

    @EventListener
    void onStartup(StartupEvent event) throws Exception {
        if (faults.corruptResults()) {
            LOG.warn("fault injection: {}=true, this node reports corrupted results (testing only)",
                    AgentFaults.CORRUPT_RESULTS);
        }
        Path data = Path.of(settings.dataDir());
        Files.createDirectories(data);
        resources = new ResourceDetector(NvidiaSmi::detect).detect(data, settings.labels());
        LOG.info("node {}: {} mCPU, {} MiB, {} GPU(s), {} MiB scratch, {}", node.nodeId(), resources.cpuMillis(),
                resources.memoryMiB(), resources.gpuCount(), resources.storageMiB(), resources.arch());
        market.join(resources);
        reveals.start();
        recovery.run();
        scheduler.onLoad(this::loadChanged);
        state = State.ONLINE;
        loadChanged(scheduler.load());
        LOG.info("agent of {} online: offer {}, capacity {}", node.nodeId(), settings.offerId(), settings.capacity());
    }

    /** Pauses the assignments consumer at capacity and resumes it below (back-pressure: records wait in Kafka). */
    private synchronized void loadChanged(int reported) {
        if (state != State.ONLINE && state != State.PAUSED) {
            return;
        }
        // The load now, not the one reported: reports from several job threads can arrive out of order.
        boolean full = scheduler.load() >= scheduler.capacity();
        boolean paused = consumers.isPaused(AssignmentListener.CLIENT_ID);
        if (full && !paused) {
            consumers.pause(AssignmentListener.CLIENT_ID);
        } else if (!full && paused) {
            consumers.resume(AssignmentListener.CLIENT_ID);
        }
        heartbeat();
    }

    @Scheduled(fixedDelay = "${gridledger.agent.heartbeat-interval:10s}", initialDelay = "1s")
    void heartbeat() {
        var detected = resources;
        if (detected == null || state == State.STARTING) {
            return;
        }
        status.heartbeat(new NodeStatus(node.nodeId(), market.offer().map(o -> o.offerId()).orElse(null),
                state.name().toLowerCase(java.util.Locale.ROOT), scheduler.load(), scheduler.capacity(),
                new NodeStatus.Resources(detected.cpuMillis(), detected.memoryMiB(), detected.gpuCount(),
                        detected.gpuCount() == 0 ? null : detected.gpuModel(), detected.storageMiB(), detected.arch()),
                settings.heartbeatInterval().toMillis(), clock.millis()));
    }

    public State state() {
        return state;
    }

    @PreDestroy
    synchronized void stop() {
        if (state == State.OFFLINE) {
            return;
        }
        state = State.DRAINING;
        try {
            consumers.pause(AssignmentListener.CLIENT_ID);
        } catch (RuntimeException e) {
            LOG.debug("assignments consumer not paused: {}", e.getMessage());
        }
        heartbeat();
        market.leave();
        state = State.OFFLINE;
        heartbeat();
    }
}
