package io.gridledger.gateway.insights;

import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.ContractEvent;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.Replica;
import io.gridledger.ledger.Resources;
import io.gridledger.ledger.Terms;
import io.gridledger.ledger.Verdict;
import io.gridledger.ledger.Verification;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console projection's arithmetic, event by event, with the facts a ledger would have answered. */
class LedgerProjectionTest {

    private static final long T0 = 1_800_000_000L;
    private static final String CLIENT_ORG = "Org1MSP";
    private static final String HONEST = "Org2MSP/node1";
    private static final String LIAR = "Org3MSP/node1";

    private final LedgerProjection projection = new LedgerProjection(ProjectionState.empty(), 100);

    @Test
    void a_settled_job_counts_once_with_its_latency_verdicts_payments_slashing_and_alerts() {
        offers(1);
        var queued = job(Job.Status.QUEUED, T0, null, List.of());
        apply(2, "JobSubmitted", event("JobSubmitted", Map.of()), facts(Map.of("job-1", view(queued)), null));
        assertThat(projection.state().openJobs()).containsKey("job-1");
        apply(3, "JobsMatched", event("JobsMatched", Map.of("job-1", "RUNNING"), List.of(
                assignment(0, HONEST, "offer-honest"), assignment(1, LIAR, "offer-liar"))), EventFacts.NONE);
        assertThat(projection.slotsInUse()).containsEntry("offer-honest", 1).containsEntry("offer-liar", 1);

        var outcome = new Job.Outcome("f", 60, null, Map.of("0", Verdict.AGREED, "1", Verdict.DISSENTED),
                Map.of(HONEST, 120L), 3, 0, Map.of(LIAR, 100L));
        var done = job(Job.Status.COMPLETED, T0 + 90, outcome, List.of());
        var settled = new EventFacts(Map.of("job-1", view(done, replica(0, HONEST, "offer-honest", Replica.Status.ASSIGNED),
                replica(1, LIAR, "offer-liar", Replica.Status.ASSIGNED))), Map.of(), Map.of(HONEST, 0.9, LIAR, 0.4), 1_003L, null, null);
        var raised = apply(4, "JobCompleted", event("JobCompleted", Map.of("job-1", "COMPLETED")), settled);
        apply(4, "JobCompleted", event("JobCompleted", Map.of("job-1", "COMPLETED")), settled);

        assertThat(raised).extracting(ProjectionState.Alert::kind).containsExactly("DISAGREEMENT", "SLASHED");
        assertThat(raised.get(1).amount()).isEqualTo(100);
        assertThat(raised.get(0).id()).isEqualTo("4:0:0");
        var state = projection.state();
        assertThat(state.terminal()).containsEntry("COMPLETED", 1L);
        assertThat(state.openJobs()).isEmpty();
        assertThat(state.treasury()).isEqualTo(1_003);
        assertThat(state.nodes().get(HONEST).agreed()).isEqualTo(1);
        assertThat(state.nodes().get(HONEST).paid()).isEqualTo(120);
        assertThat(state.nodes().get(LIAR).dissented()).isEqualTo(1);
        assertThat(state.nodes().get(LIAR).slashed()).isEqualTo(100);
        assertThat(state.nodes().get(LIAR).trend()).extracting(ProjectionState.TrendPoint::score).as("first seen, then settled").containsExactly(0.5, 0.4);
        var minute = state.buckets().get(ProjectionState.minute(T0 + 90));
        assertThat(minute.completed()).isEqualTo(1);
        assertThat(minute.latencies()).containsExactly(90L);
        assertThat(state.buckets().get(ProjectionState.minute(T0)).submitted()).isEqualTo(1);

        apply(5, "SlotsReleased", new ContractEvent("SlotsReleased", null, null, null, null, null, null, List.of("job-1"), null),
                EventFacts.NONE);
        assertThat(projection.slotsInUse()).isEmpty();
    }

    @Test
    void a_late_replica_is_alerted_once_counted_as_a_no_show_and_slashed_by_the_terms() {
        offers(1);
        apply(2, "JobSubmitted", event("JobSubmitted", Map.of()), facts(Map.of("job-1", view(job(Job.Status.QUEUED, T0, null, List.of()))), null));
        var late = view(job(Job.Status.RUNNING, T0 + 30, null, List.of()),
                replica(0, LIAR, "offer-liar", Replica.Status.TIMED_OUT), replica(1, HONEST, "offer-honest", Replica.Status.ASSIGNED));
        var expired = new EventFacts(Map.of("job-1", late), Map.of(), Map.of(LIAR, 0.3), 2_000L, null, null);

        var raised = apply(3, "ReplicasExpired", event("ReplicasExpired", Map.of("job-1", "RUNNING")), expired);
        var again = apply(4, "ReplicasExpired", event("ReplicasExpired", Map.of("job-1", "RUNNING")), expired);

        assertThat(raised).extracting(ProjectionState.Alert::kind).containsExactly("REPLICA_TIMED_OUT", "SLASHED");
        assertThat(raised.get(1).amount()).as("10%% of the 1000 collateral").isEqualTo(100);
        assertThat(again).as("the same attempt").isEmpty();
        var liar = projection.state().nodes().get(LIAR);
        assertThat(liar.noShows()).isEqualTo(1);
        assertThat(liar.history()).extracting(ProjectionState.HistoryItem::verdict).containsExactly("TIMED_OUT");
        assertThat(projection.state().treasury()).isEqualTo(2_000);
    }

    @Test
    void the_state_survives_its_snapshot_json() throws Exception {
        a_settled_job_counts_once_with_its_latency_verdicts_payments_slashing_and_alerts();
        var json = JsonMapper.createDefault();

        var restored = json.readValue(json.writeValueAsBytes(projection.state()), ProjectionState.class);

        assertThat(restored).isEqualTo(projection.state());
        restored.openJobs().put("x", new ProjectionState.OpenJob("x", CLIENT_ORG, "QUEUED", T0, 1, java.util.Set.of()));
        assertThat(restored.holds()).as("empty collections come back mutable").isEmpty();
        restored.holds().put("x", new java.util.ArrayList<>());
    }

    // --- fixtures ---

    private void offers(long block) {
        var facts = new EventFacts(Map.of(), Map.of("offer-honest", offer("offer-honest", HONEST), "offer-liar", offer("offer-liar", LIAR)),
                Map.of(HONEST, 0.5, LIAR, 0.5), null, null, null);
        apply(block, "OfferPublished", new ContractEvent("OfferPublished", null, null, null, "cpu", null, null, null, null), facts);
    }

    private List<ProjectionState.Alert> apply(long block, String name, ContractEvent payload, EventFacts facts) {
        return projection.apply(new ChaincodeEvent(name, "tx-" + block, block, payload), facts);
    }

    private static ContractEvent event(String type, Map<String, String> statuses) {
        return event(type, statuses, null);
    }

    private static ContractEvent event(String type, Map<String, String> statuses, List<Assignment> assignments) {
        return new ContractEvent(type, List.of("job-1"), statuses, assignments, null, null, null, null, null);
    }

    private static EventFacts facts(Map<String, JobView> jobs, Long treasury) {
        return new EventFacts(jobs, Map.of(), Map.of(), treasury, null, null);
    }

    private static Assignment assignment(int replica, String node, String offerId) {
        return new Assignment("job-1", replica, 1, 0, node, offerId, T0 + 600, false);
    }

    private static Offer offer(String offerId, String node) {
        return new Offer(offerId, node, node.substring(0, node.indexOf('/')), resources(), 1, 10, 1_000,
                Offer.Status.ACTIVE, T0 - 10, T0 - 10);
    }

    private static Resources resources() {
        return new Resources(1000, 512, 0, null, 10, "amd64", Map.of("pool", "p"));
    }

    private static Job job(Job.Status status, long updatedAt, Job.Outcome outcome, List<Job.Hold> holds) {
        var spec = new JobSpec("job-1", "img", List.of(), Map.of(), List.of(), resources(), 20, 60,
                Verification.replicated(2, 2), 0, T0 + 86_400);
        return new Job("job-1", CLIENT_ORG + "/User1", CLIENT_ORG, spec, 1, 500, new Terms(1, 250, 1_000, 4, 8, 2), status,
                Job.Phase.NONE, 0, 2, 0, T0, updatedAt, 0, null, holds, false, null, outcome);
    }

    private static JobView view(Job job, Replica... replicas) {
        return new JobView(job, java.util.Arrays.stream(replicas)
                .map(r -> new JobView.ReplicaView(r, null, null, null)).toList(), job.escrowed());
    }

    private static Replica replica(int index, String node, String offerId, Replica.Status status) {
        return new Replica("job-1", index, 1, 0, node, node.substring(0, node.indexOf('/')), offerId, 0, 10, 1_000, T0,
                T0 + 10, status);
    }
}
