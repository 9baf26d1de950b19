package io.gridledger.chaincode.app;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one chaincode event of a transaction: what gateways need to dispatch work and follow jobs.
 * Fields that do not apply are omitted from the JSON.
 *
 * @param type          event name, also the Fabric event name ({@code JobSubmitted}, {@code JobsMatched}, …)
 * @param jobIds        jobs the transaction changed
 * @param statuses      new status of each changed job
 * @param assignments   replicas assigned by the transaction: the work provider agents must start
 * @param resourceClass market segment where capacity or demand changed (a hint to run matching)
 * @param offerId       offer the transaction changed
 * @param replica       the replica a commit or reveal was for
 * @param released      jobs whose slots the transaction returned to the market
 * @param proposalId    the governance proposal the transaction proposed, approved or applied
 */
public record ContractEvent(String type, List<String> jobIds, Map<String, String> statuses,
                            List<Assignment> assignments, String resourceClass, String offerId, Integer replica,
                            List<String> released, String proposalId) {

    /**
     * A replica assigned to a provider node.
     *
     * @param round      0 for an initial replica, 1 for a tie-breaker (which reveals its digest, not a fingerprint)
     * @param sharedOrg  true when another replica of the job runs on a node of the same org (allowed by the client)
     */
    public record Assignment(String jobId, int replica, int attempt, int round, String nodeId, String offerId,
                             long commitDeadline, boolean sharedOrg) {
    }

    public static ContractEvent of(String type) {
        return new ContractEvent(type, null, null, null, null, null, null, null, null);
    }

    public ContractEvent withJobs(List<String> ids, Map<String, String> newStatuses) {
        return new ContractEvent(type, ids, newStatuses.isEmpty() ? null : new TreeMap<>(newStatuses), assignments,
                resourceClass, offerId, replica, released, proposalId);
    }

    public ContractEvent withAssignments(List<Assignment> list) {
        return new ContractEvent(type, jobIds, statuses, list.isEmpty() ? null : List.copyOf(list), resourceClass,
                offerId, replica, released, proposalId);
    }

    public ContractEvent withResourceClass(String value) {
        return new ContractEvent(type, jobIds, statuses, assignments, value, offerId, replica, released, proposalId);
    }

    public ContractEvent withOffer(String value) {
        return new ContractEvent(type, jobIds, statuses, assignments, resourceClass, value, replica, released, proposalId);
    }

    public ContractEvent withReplica(int index) {
        return new ContractEvent(type, jobIds, statuses, assignments, resourceClass, offerId, index, released, proposalId);
    }

    public ContractEvent withProposal(String id) {
        return new ContractEvent(type, jobIds, statuses, assignments, resourceClass, offerId, replica, released, id);
    }

    public ContractEvent withReleased(List<String> jobs) {
        return new ContractEvent(type, jobIds, statuses, assignments, resourceClass, offerId, replica,
                jobs.isEmpty() ? null : List.copyOf(jobs), proposalId);
    }
}
