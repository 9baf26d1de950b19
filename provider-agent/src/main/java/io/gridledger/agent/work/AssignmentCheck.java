package io.gridledger.agent.work;

import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobView;

import java.util.Optional;

/**
 * Whether an assignment is this node's to run, by the ledger's word: the job is running, the replica of that index
 * names this node with the same attempt and is still active, and its commit deadline has not passed. Nothing is done
 * for an assignment before this holds; a redelivered or forged Kafka record changes nothing.
 */
public final class AssignmentCheck {

    private AssignmentCheck() {
    }

    /** Why {@code assignment} is not this node's to run now, or empty when it is. */
    public static Optional<String> refusal(Assignment assignment, JobView view, String nodeId, long nowEpochSeconds) {
        if (!nodeId.equals(assignment.nodeId())) {
            return Optional.of("the assignment is for " + assignment.nodeId() + ", not " + nodeId);
        }
        Job job = view.job();
        if (job.status() != Job.Status.RUNNING) {
            return Optional.of("job " + job.jobId() + " is " + job.status());
        }
        var replica = view.replicas().stream().filter(r -> r.assignment().index() == assignment.replica()).findFirst();
        if (replica.isEmpty()) {
            return Optional.of("job " + job.jobId() + " has no replica " + assignment.replica());
        }
        var assigned = replica.get().assignment();
        if (!nodeId.equals(assigned.nodeId())) {
            return Optional.of("replica " + assignment.replica() + " is assigned to " + assigned.nodeId());
        }
        if (assigned.attempt() != assignment.attempt()) {
            return Optional.of("attempt " + assignment.attempt() + " was superseded by attempt " + assigned.attempt());
        }
        if (!assigned.isActive()) {
            return Optional.of("replica " + assignment.replica() + " timed out");
        }
        if (replica.get().committed()) {
            return Optional.of("replica " + assignment.replica() + " already committed");
        }
        if (nowEpochSeconds > assigned.commitDeadline()) {
            return Optional.of("its commit deadline " + assigned.commitDeadline() + " has passed");
        }
        return Optional.empty();
    }
}
