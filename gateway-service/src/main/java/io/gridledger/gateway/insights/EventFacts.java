package io.gridledger.gateway.insights;

import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.Parameters;
import io.gridledger.ledger.Proposal;
import io.gridledger.ledger.Replica;
import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What the ledger says, right after an event, about the assets the event names and its payload does not carry (a
 * settled job's verdicts and payments, an offer's stake, a node's reputation, a proposal): read before the event is
 * applied, so that applying it is pure. A bounded number of queries per event: one per job it names, one per offer,
 * one per judged node, the treasury once per settlement, the proposal and the parameters.
 *
 * @param jobs        views of the jobs the event names, when their ends or timeouts matter
 * @param offers      the offers it changed (or whose stake a slashing changed)
 * @param scores      reputation scores (0–1) of the nodes it judged or first showed
 * @param treasury    the treasury's balance after it (settlements and expiries only)
 * @param proposal    the proposal it names
 * @param parameters  the consortium's parameters after it (governance events, and the first event)
 */
record EventFacts(Map<String, JobView> jobs, Map<String, Offer> offers, Map<String, Double> scores,
                  @Nullable Long treasury, @Nullable Proposal proposal, @Nullable Parameters parameters) {

    static final String TREASURY = "treasury";
    static final EventFacts NONE = new EventFacts(Map.of(), Map.of(), Map.of(), null, null, null);
    private static final Set<String> ENDS = Set.of("JobCompleted", "JobFailed", "JobCancelled");
    private static final Set<String> GOVERNANCE = Set.of("ParametersProposed", "ProposalApproved", "ParametersChanged",
            "BootstrapApproved");

    static boolean ends(String eventName) {
        return ENDS.contains(eventName);
    }

    /**
     * Reads the facts {@code event} needs as {@code identity}. {@code knownNode} tells whether the projection already
     * has a node (a new one gets its score read); {@code needParameters} whether it has the parameters yet.
     */
    static EventFacts read(Ledger ledger, String identity, ChaincodeEvent event, Predicate<String> knownNode,
                           boolean needParameters) {
        var payload = event.payload();
        var name = event.name();
        var jobs = new LinkedHashMap<String, JobView>();
        var offers = new LinkedHashMap<String, Offer>();
        var scores = new LinkedHashMap<String, Double>();
        Long treasury = null;
        boolean ended = ends(name);
        if (ended || "JobSubmitted".equals(name) || "ReplicasExpired".equals(name)) {
            for (var jobId : payload.jobIds()) {
                jobs.put(jobId, ledger.getJob(identity, jobId));
            }
        }
        var nodes = new TreeSet<String>();
        var offerIds = new TreeSet<String>();
        if (payload.offerId() != null) {
            offerIds.add(payload.offerId());
        }
        payload.assignments().forEach(a -> {
            if (!knownNode.test(a.nodeId())) {
                nodes.add(a.nodeId());
            }
        });
        if (ended || "ReplicasExpired".equals(name)) {
            // verdicts and timeouts change the nodes' reputations; slashing (of dissenters, no-shows, late replicas)
            // the offers' stakes
            for (var view : jobs.values()) {
                var outcome = view.job().outcome();
                for (var replica : view.replicas()) {
                    var assignment = replica.assignment();
                    nodes.add(assignment.nodeId());
                    boolean slashed = outcome != null && outcome.slashed() != null
                            && outcome.slashed().getOrDefault(assignment.nodeId(), 0L) > 0;
                    if (slashed || assignment.status() == Replica.Status.TIMED_OUT) {
                        offerIds.add(assignment.offerId());
                    }
                }
            }
        }
        if (ended || "ReplicasExpired".equals(name)) {
            // fees and slashed collateral go to the treasury
            treasury = ledger.getAccount(identity, TREASURY).balance();
        }
        for (var offerId : offerIds) {
            var offer = ledger.getOffer(identity, offerId);
            offers.put(offerId, offer);
            if (!knownNode.test(offer.nodeId())) {
                nodes.add(offer.nodeId());
            }
        }
        for (var node : nodes) {
            scores.put(node, ledger.getNodeReputation(identity, node).score() / 1000.0);
        }
        Proposal proposal = payload.proposalId() == null ? null : ledger.getProposal(identity, payload.proposalId());
        Parameters parameters = null;
        if (needParameters || GOVERNANCE.contains(name)) {
            try {
                parameters = ledger.getParameters(identity);
            } catch (ContractRefusal notBootstrapped) {
                // before the bootstrap's completing approval there are none
            }
        }
        return new EventFacts(jobs, offers, scores, treasury, proposal, parameters);
    }
}
