package io.gridledger.gateway.insights;

import io.micronaut.context.annotation.Requires;
import io.gridledger.ledger.Ledger;
import io.gridledger.gateway.agents.NodeDirectory;
import io.gridledger.gateway.api.ApiException;
import io.gridledger.gateway.auth.AccessDenied;
import io.gridledger.gateway.auth.ApiTokens;
import io.gridledger.gateway.auth.Caller;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.Parameters;
import io.gridledger.ledger.Proposal;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The admin console's consortium-wide figures (console-api.md), answered from the {@link ConsoleProjection}: overview,
 * per-minute series, alerts, offers, the node leaderboard and a node's record, proposals. Admin only; bad query values
 * are 400 with the field named.
 */
@Requires(beans = Ledger.class)
@Singleton
public final class InsightsService {

    static final Set<String> OFFER_SORTS = Set.of("offerId", "price", "-price", "reputation", "-reputation", "inUse", "-inUse");
    private static final int MAX_ROWS = 200;

    private final ConsoleProjection projection;
    private final ApiTokens tokens;
    private final NodeDirectory directory;
    private final JsonMapper json;
    private final Clock clock;

    InsightsService(ConsoleProjection projection, ApiTokens tokens, NodeDirectory directory, JsonMapper json) {
        this.projection = projection;
        this.tokens = tokens;
        this.directory = directory;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    public InsightViews.Overview overview(Caller caller) {
        requireAdmin(caller);
        long now = clock.instant().getEpochSecond();
        var online = heartbeats();
        return projection.read(s -> {
            var byStatus = new LinkedHashMap<String, Long>();
            for (var status : Job.Status.values()) {
                byStatus.put(status.name(), s.terminal().getOrDefault(status.name(), 0L));
            }
            long escrow = 0;
            for (var job : s.openJobs().values()) {
                byStatus.merge(job.status(), 1L, Long::sum);
                escrow += job.escrowed();
            }
            long stakes = s.offers().values().stream().filter(o -> o.status() != Offer.Status.WITHDRAWN)
                    .mapToLong(Offer::stake).sum();
            var known = new TreeSet<String>();
            s.offers().values().stream().filter(o -> o.status() != Offer.Status.WITHDRAWN).forEach(o -> known.add(o.nodeId()));
            known.addAll(online.keySet());
            long onlineCount = known.stream().filter(n -> isOnline(n, s, online)).count();
            long lastHour = s.alerts().stream().filter(a -> a.at() >= now - 3600).count();
            return new InsightViews.Overview(s.blockNumber(), byStatus, escrow, s.treasury(), stakes, onlineCount,
                    known.size(), lastHour);
        });
    }

    public InsightViews.Series series(Caller caller, int minutes) {
        requireAdmin(caller);
        if (minutes < 1 || minutes > 1440) {
            throw ApiException.invalid("minutes", "must be between 1 and 1440");
        }
        long last = ProjectionState.minute(clock.instant().getEpochSecond());
        long first = last - (minutes - 1) * 60L;
        return projection.read(s -> {
            var points = new ArrayList<InsightViews.Point>(minutes);
            for (long t = first; t <= last; t += 60) {
                var b = s.buckets().get(t);
                if (b == null) {
                    points.add(new InsightViews.Point(t, 0, 0, 0, 0, null, null));
                    continue;
                }
                var sorted = b.latencies().stream().sorted().toList();
                points.add(new InsightViews.Point(t, b.submitted(), b.completed(), b.failed(), b.cancelled(),
                        percentile(sorted, 0.50), percentile(sorted, 0.95)));
            }
            return new InsightViews.Series(60, points);
        });
    }

    public InsightViews.AlertPage alerts(Caller caller, int pageSize, @Nullable String cursor) {
        requireAdmin(caller);
        requirePageSize(pageSize);
        long before = cursor == null ? Long.MAX_VALUE : number(cursor);
        return projection.read(s -> {
            var items = new ArrayList<InsightViews.Alert>();
            var alerts = s.alerts();
            String next = null;
            long last = before;
            for (int i = alerts.size() - 1; i >= 0; i--) {
                var alert = alerts.get(i);
                if (alert.sequence() >= before) {
                    continue;
                }
                if (items.size() == pageSize) {
                    next = Long.toString(last);
                    break;
                }
                items.add(InsightViews.Alert.of(alert));
                last = alert.sequence();
            }
            return new InsightViews.AlertPage(items, next);
        });
    }

    public InsightViews.OfferPage offers(Caller caller, @Nullable String resourceClass, @Nullable String node,
                                         @Nullable String org, @Nullable String status, @Nullable String sort,
                                         int pageSize, @Nullable String cursor) {
        requireAdmin(caller);
        requirePageSize(pageSize);
        Offer.Status wanted = null;
        if (status != null) {
            try {
                wanted = Offer.Status.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("status", "must be one of ACTIVE, PAUSED, WITHDRAWN");
            }
        }
        var order = sort == null ? "offerId" : sort;
        if (!OFFER_SORTS.contains(order)) {
            throw ApiException.invalid("sort", "must be one of " + new TreeSet<>(OFFER_SORTS));
        }
        int from = cursor == null ? 0 : (int) Math.min(Integer.MAX_VALUE, number(cursor));
        var statusFilter = wanted;
        var rows = offerRows(o -> (resourceClass == null || resourceClass.equals(o.resourceClass()))
                && (node == null || node.equals(o.nodeId())) && (org == null || org.equals(o.org()))
                && (statusFilter == null ? o.status() != Offer.Status.WITHDRAWN : o.status() == statusFilter));
        rows.sort(comparator(order));
        var page = rows.subList(Math.min(from, rows.size()), Math.min(from + pageSize, rows.size()));
        return new InsightViews.OfferPage(List.copyOf(page), from + pageSize < rows.size() ? Integer.toString(from + pageSize) : null);
    }

    public List<InsightViews.NodeRow> nodes(Caller caller) {
        requireAdmin(caller);
        var rows = leaderboard();
        return rows.size() > MAX_ROWS ? rows.subList(0, MAX_ROWS) : rows;
    }

    public InsightViews.NodeDetail node(Caller caller, String nodeId) {
        requireAdmin(caller);
        var row = leaderboard().stream().filter(r -> r.nodeId().equals(nodeId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("node " + nodeId));
        var offers = offerRows(o -> o.nodeId().equals(nodeId));
        offers.sort(comparator("offerId"));
        return projection.read(s -> {
            var record = s.nodes().get(nodeId);
            var history = new ArrayList<>(record == null ? List.<ProjectionState.HistoryItem>of() : record.history());
            java.util.Collections.reverse(history);
            return new InsightViews.NodeDetail(row, offers,
                    record == null ? List.of() : List.copyOf(record.trend()), history);
        });
    }

    public List<InsightViews.ProposalRow> proposals(Caller caller) {
        requireAdmin(caller);
        long now = clock.instant().getEpochSecond();
        return projection.read(s -> s.proposals().values().stream()
                .sorted(Comparator.comparingLong((ProjectionState.ProposalRecord p) -> p.proposal().proposedAt()).reversed()
                        .thenComparing(p -> p.proposal().proposalId()))
                .limit(MAX_ROWS)
                .map(p -> row(p, now)).toList());
    }

    private InsightViews.ProposalRow row(ProjectionState.ProposalRecord record, long now) {
        var p = record.proposal();
        var status = p.status() == Proposal.Status.OPEN && now > p.expiresAt() ? "EXPIRED" : p.status().name();
        return new InsightViews.ProposalRow(p.proposalId(), p.proposedBy(), p.proposedAt(), p.expiresAt(), status,
                List.copyOf(p.approvals()), record.required(), record.members(), changes(record.amends(), p.params()));
    }

    /** The top-level parameters whose values differ (version aside), in name order. */
    private List<InsightViews.Change> changes(@Nullable Parameters from, Parameters to) {
        var before = tree(from);
        var after = tree(to);
        var names = new TreeSet<String>();
        names.addAll(before.keySet());
        names.addAll(after.keySet());
        names.remove("version");
        var changes = new ArrayList<InsightViews.Change>();
        for (var name : names) {
            var a = before.get(name);
            var b = after.get(name);
            if (a == null ? b != null : !a.equals(b)) {
                changes.add(new InsightViews.Change(name, value(a), value(b)));
            }
        }
        return changes;
    }

    private Map<String, JsonNode> tree(@Nullable Parameters params) {
        var fields = new TreeMap<String, JsonNode>();
        if (params == null) {
            return fields;
        }
        try {
            var node = json.writeValueToTree(params);
            node.entries().forEach(e -> fields.put(e.getKey(), e.getValue()));
        } catch (IOException e) {
            throw new IllegalStateException("parameters not serialisable", e);
        }
        return fields;
    }

    private Object value(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return json.readValueFromTree(node, Object.class);
        } catch (IOException e) {
            return node.toString();
        }
    }

    private List<InsightViews.OfferRow> offerRows(java.util.function.Predicate<Offer> filter) {
        var inUse = projection.slotsInUse();
        return projection.read(s -> {
            var rows = new ArrayList<InsightViews.OfferRow>();
            for (var offer : s.offers().values()) {
                if (filter.test(offer)) {
                    var node = s.nodes().get(offer.nodeId());
                    rows.add(new InsightViews.OfferRow(offer, inUse.getOrDefault(offer.offerId(), 0),
                            node == null ? 0 : node.score()));
                }
            }
            return rows;
        });
    }

    private static Comparator<InsightViews.OfferRow> comparator(String sort) {
        Comparator<InsightViews.OfferRow> byId = Comparator.comparing(r -> r.offer().offerId());
        boolean descending = sort.startsWith("-");
        Function<InsightViews.OfferRow, Comparable<?>> key = switch (descending ? sort.substring(1) : sort) {
            case "price" -> r -> r.offer().unitPrice();
            case "reputation" -> InsightViews.OfferRow::reputation;
            case "inUse" -> InsightViews.OfferRow::slotsInUse;
            default -> r -> r.offer().offerId();
        };
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<InsightViews.OfferRow> primary = Comparator.comparing(r -> (Comparable) key.apply(r));
        return (descending ? primary.reversed() : primary).thenComparing(byId);
    }

    private List<InsightViews.NodeRow> leaderboard() {
        var online = heartbeats();
        return projection.read(s -> {
            var sorted = s.nodes().values().stream()
                    .sorted(Comparator.comparingDouble(ProjectionState.NodeRecord::score).reversed()
                            .thenComparing(ProjectionState.NodeRecord::nodeId)).toList();
            var rows = new ArrayList<InsightViews.NodeRow>(sorted.size());
            int rank = 0;
            for (var n : sorted) {
                var live = s.offers().values().stream()
                        .filter(o -> o.nodeId().equals(n.nodeId()) && o.status() != Offer.Status.WITHDRAWN).toList();
                rows.add(new InsightViews.NodeRow(n.nodeId(), n.org(), n.score(), n.agreed(), n.dissented(), n.noShows(),
                        n.disputed(), n.paid(), n.slashed(), live.size(), live.stream().mapToLong(Offer::stake).sum(),
                        isOnline(n.nodeId(), s, online), ++rank));
            }
            return rows;
        });
    }

    /** This org's nodes as their agents' heartbeats tell (online or not), by node id. */
    private Map<String, Boolean> heartbeats() {
        var nodes = new TreeMap<String, Boolean>();
        directory.nodes().forEach(n -> nodes.put(n.heartbeat().nodeId(), n.online()));
        return nodes;
    }

    /** Heard from by an agent: as its heartbeats say; otherwise online while it has an ACTIVE offer. */
    private static boolean isOnline(String nodeId, ProjectionState s, Map<String, Boolean> heartbeats) {
        var heard = heartbeats.get(nodeId);
        if (heard != null) {
            return heard;
        }
        return s.offers().values().stream().anyMatch(o -> o.nodeId().equals(nodeId) && o.status() == Offer.Status.ACTIVE);
    }

    private static Double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))).doubleValue();
    }

    private static void requirePageSize(int pageSize) {
        if (pageSize < 1 || pageSize > MAX_ROWS) {
            throw ApiException.invalid("pageSize", "must be between 1 and " + MAX_ROWS);
        }
    }

    private static long number(String cursor) {
        try {
            long value = Long.parseLong(cursor);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("cursor", "not a cursor of this listing");
        }
    }

    private void requireAdmin(Caller caller) {
        AccessDenied.requireAdmin(caller, tokens.adminIdentity());
        if (!projection.enabled()) {
            throw ApiException.unavailable("the console projection is disabled on this gateway (gridledger.insights.enabled)",
                    Duration.ofSeconds(60));
        }
    }
}
