package io.gridledger.chaincode.app;

import java.util.List;
import java.util.Map;

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
 */
public record ContractEvent(String type, List<String> jobIds, Map<String, String> statuses,
                            List<Assignment> assignments, String resourceClass, String offerId) {

    /** A replica assigned to a provider node. */
    public record Assignment(String jobId, int replica, int attempt, String nodeId, String offerId, long commitDeadline) {
    }

    public static ContractEvent of(String type) {
        return new ContractEvent(type, null, null, null, null, null);
    }

    public ContractEvent withJobs(List<String> ids, Map<String, String> newStatuses) {
        return new ContractEvent(type, ids, newStatuses.isEmpty() ? null : new java.util.TreeMap<>(newStatuses), assignments, resourceClass, offerId);
    }

    public ContractEvent withAssignments(List<Assignment> list) {
        return new ContractEvent(type, jobIds, statuses, list.isEmpty() ? null : list, resourceClass, offerId);
    }

    public ContractEvent withResourceClass(String value) {
        return new ContractEvent(type, jobIds, statuses, assignments, value, offerId);
    }

    public ContractEvent withOffer(String value) {
        return new ContractEvent(type, jobIds, statuses, assignments, resourceClass, value);
    }
}
