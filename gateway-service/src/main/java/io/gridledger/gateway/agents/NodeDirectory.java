package io.gridledger.gateway.agents;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This org's provider nodes as their heartbeats tell: per node the heartbeat with the latest {@code at} (an older one
 * arriving late changes nothing) and when the latest heartbeat arrived, on this gateway's clock. A node is online
 * unless its latest heartbeat says {@code offline} or {@code missedHeartbeats} of its intervals passed since one
 * arrived. At most {@code maxNodes} nodes are kept (those heard from least recently are dropped first).
 */
@Singleton
public final class NodeDirectory {

    /** A node as known now. {@code lastSeen}: when its latest heartbeat arrived (epoch ms, this gateway's clock). */
    public record KnownNode(NodeHeartbeat heartbeat, long lastSeen, boolean online) {
    }

    private record Seen(NodeHeartbeat heartbeat, long arrived) {
    }

    private final AgentStatusSettings settings;
    private final Clock clock;
    /** Guarded by {@code this}. */
    private final Map<String, Seen> nodes;

    @Inject
    NodeDirectory(AgentStatusSettings settings) {
        this(settings, Clock.systemUTC());
    }

    NodeDirectory(AgentStatusSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        int max = settings.maxNodes();
        this.nodes = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
                return size() > max;
            }
        };
    }

    /** Takes a heartbeat; answers whether it is now the node's latest (false for a duplicate or an older one). */
    public synchronized boolean record(NodeHeartbeat heartbeat) {
        var current = nodes.get(heartbeat.nodeId());
        if (current != null && heartbeat.at() <= current.heartbeat().at()) {
            return false;
        }
        nodes.put(heartbeat.nodeId(), new Seen(heartbeat, clock.millis()));
        return true;
    }

    /** Every known node, by node id. */
    public synchronized List<KnownNode> nodes() {
        long now = clock.millis();
        var list = new ArrayList<KnownNode>(nodes.size());
        for (var seen : nodes.values()) {
            list.add(known(seen, now));
        }
        list.sort(Comparator.comparing(n -> n.heartbeat().nodeId()));
        return list;
    }

    public synchronized Optional<KnownNode> node(String nodeId) {
        var seen = nodes.get(nodeId);
        return seen == null ? Optional.empty() : Optional.of(known(seen, clock.millis()));
    }

    private KnownNode known(Seen seen, long now) {
        var heartbeat = seen.heartbeat();
        long interval = intervalMillis(heartbeat.intervalMs());
        boolean silent = now - seen.arrived() > interval * settings.missedHeartbeats();
        return new KnownNode(heartbeat, seen.arrived(), !silent && !"offline".equalsIgnoreCase(heartbeat.state()));
    }

    private long intervalMillis(@Nullable Long intervalMs) {
        return intervalMs != null && intervalMs > 0 ? intervalMs : settings.heartbeatInterval().toMillis();
    }
}
