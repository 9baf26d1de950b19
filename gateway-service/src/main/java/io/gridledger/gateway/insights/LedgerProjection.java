package io.gridledger.gateway.insights;

import io.gridledger.gateway.insights.ProjectionState.Alert;
import io.gridledger.gateway.insights.ProjectionState.Bucket;
import io.gridledger.gateway.insights.ProjectionState.Hold;
import io.gridledger.gateway.insights.ProjectionState.HistoryItem;
import io.gridledger.gateway.insights.ProjectionState.NodeRecord;
import io.gridledger.gateway.insights.ProjectionState.OpenJob;
import io.gridledger.gateway.insights.ProjectionState.ProposalRecord;
import io.gridledger.gateway.insights.ProjectionState.TrendPoint;
import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.Replica;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies chaincode events, with the {@link EventFacts} read for each, to a {@link ProjectionState}: job counts, escrow,
 * slots in use, per-node verdicts, payments, slashing and reputation, per-minute series, alerts, proposals. Pure: no
 * ledger, no clock, no I/O; the caller serialises access.
 */
final class LedgerProjection {

    static final int MAX_TREND = 500;
    static final int MAX_HISTORY = 200;
    static final long SERIES_SECONDS = 86_400;

    private final int maxAlerts;
    private ProjectionState state;
    private long eventBlock = -1;
    private int eventInBlock;

    LedgerProjection(ProjectionState state, int maxAlerts) {
        this.state = state;
        this.maxAlerts = maxAlerts;
    }

    ProjectionState state() {
        return state;
    }

    /** Applies one event; answers the alerts it raised. */
    List<Alert> apply(ChaincodeEvent event, EventFacts facts) {
        if (event.blockNumber() != eventBlock) {
            eventBlock = event.blockNumber();
            eventInBlock = 0;
        } else {
            eventInBlock++;
        }
        var raised = new ArrayList<Alert>();
        var payload = event.payload();
        var s = state;
        payload.released().forEach(s.holds()::remove);
        var stakesBefore = new java.util.HashMap<String, Long>();
        facts.offers().keySet().forEach(id -> {
            var known = s.offers().get(id);
            if (known != null) {
                stakesBefore.put(id, known.stake());
            }
        });
        facts.offers().forEach(s.offers()::put);
        facts.offers().values().forEach(o -> node(o.nodeId(), o.org(), facts));
        payload.assignments().forEach(a -> {
            node(a.nodeId(), a.nodeOrg(), facts);
            s.holds().computeIfAbsent(a.jobId(), id -> new ArrayList<>()).add(new Hold(a.offerId(), a.replica(), a.attempt()));
        });
        payload.statuses().forEach((jobId, status) -> s.openJobs().computeIfPresent(jobId, (id, j) -> j.withStatus(status)));
        if ("JobSubmitted".equals(event.name())) {
            facts.jobs().values().forEach(view -> submitted(view.job()));
        }
        for (var view : facts.jobs().values()) {
            timeouts(event, view, stakesBefore, raised);
            if (EventFacts.ends(event.name()) && view.job().isFinished()) {
                ended(event, view, facts, raised);
            } else if ("ReplicasExpired".equals(event.name())) {
                var holds = view.job().holds() == null ? List.<Job.Hold>of() : view.job().holds();
                s.holds().put(view.job().jobId(), new ArrayList<>(holds.stream().filter(h -> !h.ended())
                        .map(h -> new Hold(h.offerId(), h.replica(), h.attempt())).toList()));
            }
        }
        long at = facts.jobs().values().stream().mapToLong(v -> v.job().updatedAt()).max()
                .orElse(facts.offers().values().stream().mapToLong(Offer::updatedAt).max().orElse(0));
        for (var score : facts.scores().entrySet()) {
            var n = s.nodes().get(score.getKey());
            if (n != null && at > 0) {
                rescore(n, score.getValue(), at, event.blockNumber());
            }
        }
        if (facts.proposal() != null) {
            var proposal = facts.proposal();
            var known = s.proposals().get(proposal.proposalId());
            var amends = known != null ? known.amends() : s.parameters();
            var rules = amends != null ? amends : facts.parameters();
            var members = rules == null ? List.<String>of() : List.copyOf(rules.members());
            s.proposals().put(proposal.proposalId(), new ProposalRecord(proposal, amends, members.size() / 2 + 1, members));
        }
        state = s.at(event.blockNumber(), event.txId(), state.alertCount() + raised.size(),
                facts.parameters() != null ? facts.parameters() : s.parameters(),
                facts.treasury() != null ? facts.treasury() : s.treasury());
        return raised;
    }

    private void submitted(Job job) {
        var s = state;
        s.openJobs().putIfAbsent(job.jobId(), new OpenJob(job.jobId(), job.clientOrg(), Job.Status.QUEUED.name(),
                job.createdAt(), job.escrowed(), new HashSet<>()));
        var bucket = ProjectionState.bucket(s.buckets(), job.createdAt());
        put(job.createdAt(), new Bucket(bucket.submitted() + 1, bucket.completed(), bucket.failed(), bucket.cancelled(),
                bucket.latencies()));
    }

    /**
     * Raises REPLICA_TIMED_OUT once per timed-out replica attempt, counts it as its node's no-show with the collateral
     * its offer lost (SLASHED when some), and puts it in the node's history.
     */
    private void timeouts(ChaincodeEvent event, JobView view, Map<String, Long> stakesBefore, List<Alert> raised) {
        var job = view.job();
        var open = state.openJobs().get(job.jobId());
        if (open == null) {
            return;
        }
        for (var r : view.replicas()) {
            var replica = r.assignment();
            var key = replica.index() + "#" + replica.attempt();
            if (replica.status() != Replica.Status.TIMED_OUT || open.timedOut().contains(key)) {
                continue;
            }
            open = open.withTimedOut(key);
            // the contract's rule (chaincode Pricing.slash): floor(collateral × slashBasisPoints / 10000) of the job's
            // terms, at most the stake the offer had — the same figure when replayed long after
            Long before = stakesBefore.remove(replica.offerId());
            long taken = java.math.BigInteger.valueOf(replica.collateral())
                    .multiply(java.math.BigInteger.valueOf(job.terms().slashBasisPoints()))
                    .divide(java.math.BigInteger.valueOf(10_000)).longValueExact();
            if (before != null) {
                taken = Math.min(taken, before);
            }
            long at = job.updatedAt();
            raise(event, at, "REPLICA_TIMED_OUT", job.jobId(), replica.nodeId(), replica.nodeOrg(),
                    replica.index(), null, "replica " + replica.index() + " of " + job.jobId() + " on "
                            + replica.nodeId() + " missed its commit deadline", raised);
            if (taken > 0) {
                raise(event, at, "SLASHED", job.jobId(), replica.nodeId(), replica.nodeOrg(), replica.index(), taken,
                        replica.nodeId() + " slashed " + taken + " credits (" + job.jobId() + ")", raised);
            }
            var n = state.nodes().computeIfAbsent(replica.nodeId(), id -> NodeRecord.of(id, replica.nodeOrg(), 0.0));
            state.nodes().put(n.nodeId(), new NodeRecord(n.nodeId(), n.org(), n.score(), n.agreed(), n.dissented(),
                    n.noShows() + 1, n.disputed(), n.paid(), n.slashed() + taken, n.trend(), n.history()));
            history(replica.nodeId(), replica.nodeOrg(), new HistoryItem(at, job.jobId(), replica.index(),
                    "TIMED_OUT", 0, taken, event.txId(), event.blockNumber()));
        }
        state.openJobs().put(job.jobId(), open);
    }

    private void ended(ChaincodeEvent event, JobView view, EventFacts facts, List<Alert> raised) {
        var s = state;
        var job = view.job();
        var open = s.openJobs().remove(job.jobId());
        if (open == null) {
            return; // applied before (or submitted before the projection's first block): counted once
        }
        s.terminal().merge(job.status().name(), 1L, Long::sum);
        long at = job.updatedAt();
        var bucket = ProjectionState.bucket(s.buckets(), at);
        var latencies = new ArrayList<>(bucket.latencies());
        latencies.add(Math.max(0, at - open.submittedAt()));
        put(at, new Bucket(bucket.submitted(), bucket.completed() + (job.status() == Job.Status.COMPLETED ? 1 : 0),
                bucket.failed() + (job.status() == Job.Status.FAILED ? 1 : 0),
                bucket.cancelled() + (job.status() == Job.Status.CANCELLED ? 1 : 0), latencies));
        var outcome = job.outcome();
        var verdicts = outcome == null || outcome.verdicts() == null ? Map.<String, io.gridledger.ledger.Verdict>of() : outcome.verdicts();
        var payments = outcome == null || outcome.payments() == null ? Map.<String, Long>of() : outcome.payments();
        var slashed = outcome == null || outcome.slashed() == null ? Map.<String, Long>of() : outcome.slashed();
        var settledNodes = new HashSet<String>();
        for (var entry : verdicts.entrySet()) {
            int index = Integer.parseInt(entry.getKey());
            var replica = view.replicas().stream().map(JobView.ReplicaView::assignment).filter(a -> a.index() == index)
                    .max(Comparator.comparingInt(Replica::attempt)).orElse(null);
            if (replica == null) {
                continue;
            }
            var nodeId = replica.nodeId();
            boolean first = settledNodes.add(nodeId);
            long paid = first ? payments.getOrDefault(nodeId, 0L) : 0;
            long taken = first ? slashed.getOrDefault(nodeId, 0L) : 0;
            var verdict = entry.getValue();
            var n = node(nodeId, replica.nodeOrg(), facts);
            s.nodes().put(nodeId, new NodeRecord(nodeId, n.org(), n.score(),
                    n.agreed() + (verdict == io.gridledger.ledger.Verdict.AGREED ? 1 : 0),
                    n.dissented() + (verdict == io.gridledger.ledger.Verdict.DISSENTED ? 1 : 0),
                    n.noShows() + (verdict == io.gridledger.ledger.Verdict.NO_SHOW ? 1 : 0),
                    n.disputed() + (verdict == io.gridledger.ledger.Verdict.DISPUTED ? 1 : 0),
                    n.paid() + paid, n.slashed() + taken, n.trend(), n.history()));
            history(nodeId, replica.nodeOrg(), new HistoryItem(at, job.jobId(), index, verdict.name(), paid, taken,
                    event.txId(), event.blockNumber()));
            if (verdict == io.gridledger.ledger.Verdict.DISSENTED) {
                raise(event, at, "DISAGREEMENT", job.jobId(), nodeId, replica.nodeOrg(), index, null, "replica " + index
                        + " of " + job.jobId() + " dissented from the agreed result", raised);
            }
            if (taken > 0) {
                raise(event, at, "SLASHED", job.jobId(), nodeId, replica.nodeOrg(), index, taken, nodeId + " slashed "
                        + taken + " credits (" + job.jobId() + ")", raised);
            }
        }
        if (job.status() == Job.Status.FAILED) {
            var reason = outcome == null || outcome.reason() == null ? "no quorum" : outcome.reason();
            raise(event, at, "JOB_FAILED", job.jobId(), null, job.clientOrg(), null, null,
                    job.jobId() + " failed: " + reason, raised);
        }
    }

    /** The node's record, created (with its score from the facts) when first seen. */
    private NodeRecord node(String nodeId, String org, EventFacts facts) {
        return state.nodes().computeIfAbsent(nodeId, id -> {
            var node = NodeRecord.of(id, org, facts.scores().getOrDefault(id, 0.0));
            return node;
        });
    }

    private void rescore(NodeRecord n, double score, long at, long block) {
        var trend = n.trend();
        if (trend.isEmpty() || trend.get(trend.size() - 1).score() != score) {
            trend.add(new TrendPoint(at, score, block));
            if (trend.size() > MAX_TREND) {
                trend.remove(0);
            }
        }
        state.nodes().put(n.nodeId(), new NodeRecord(n.nodeId(), n.org(), score, n.agreed(), n.dissented(), n.noShows(),
                n.disputed(), n.paid(), n.slashed(), trend, n.history()));
    }

    private void history(String nodeId, String org, HistoryItem item) {
        var history = state.nodes().computeIfAbsent(nodeId, id -> NodeRecord.of(id, org, 0.0)).history();
        history.add(item);
        if (history.size() > MAX_HISTORY) {
            history.remove(0);
        }
    }

    private void raise(ChaincodeEvent event, long at, String kind, String jobId, String nodeId, String org,
                       Integer replica, Long amount, String message, List<Alert> raised) {
        long sequence = state.alertCount() + raised.size();
        var alert = new Alert(event.blockNumber() + ":" + eventInBlock + ":" + raised.size(), sequence, at, kind, jobId,
                nodeId, org, replica, amount, event.txId(), event.blockNumber(), message);
        raised.add(alert);
        var alerts = state.alerts();
        alerts.add(alert);
        while (alerts.size() > maxAlerts) {
            alerts.remove(0);
        }
    }

    private void put(long at, Bucket bucket) {
        var buckets = state.buckets();
        buckets.put(ProjectionState.minute(at), bucket);
        long newest = buckets.lastKey();
        while (buckets.firstKey() < newest - SERIES_SECONDS) {
            buckets.pollFirstEntry();
        }
    }

    /** Whether the projection has seen this node. */
    boolean knows(String nodeId) {
        return state.nodes().containsKey(nodeId);
    }

    /** Offers currently held per offer id. */
    Map<String, Integer> slotsInUse() {
        var inUse = new java.util.HashMap<String, Integer>();
        state.holds().values().forEach(list -> list.forEach(h -> inUse.merge(h.offerId(), 1, Integer::sum)));
        return inUse;
    }

    static Set<Offer.Status> live() {
        return Set.of(Offer.Status.ACTIVE, Offer.Status.PAUSED);
    }
}
