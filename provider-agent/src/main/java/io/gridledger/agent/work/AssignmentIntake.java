package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.NodeIdentity;
import io.gridledger.agent.journal.JobStep;
import io.gridledger.agent.journal.Journal;
import io.gridledger.agent.status.StatusReporter;
import io.gridledger.agent.status.Step;
import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Ledger;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Takes an assignment record from this org's Kafka (gateway-service's {@code AssignmentMessage} JSON) and decides:
 * another node's, a redelivery, malformed, or refused by the ledger ({@link AssignmentCheck}) → nothing happens; else
 * the job is journalled as accepted and handed to the {@link WorkScheduler}. Returns only once the decision is durable:
 * the caller commits the record's offset after it, so a crash before loses nothing and a crash after repeats nothing.
 */
@Singleton
public final class AssignmentIntake {

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentIntake.class);

    /** What became of a record. */
    public enum Decision { ACCEPTED, NOT_THIS_NODE, DUPLICATE, MALFORMED, REFUSED }

    private final Ledger ledger;
    private final NodeIdentity node;
    private final Journal journal;
    private final WorkScheduler scheduler;
    private final StatusReporter status;
    private final JsonMapper json;
    private final Clock clock;

    public AssignmentIntake(Ledger ledger, NodeIdentity node, Journal journal, WorkScheduler scheduler,
                            StatusReporter status, JsonMapper json, Clock clock) {
        this.ledger = ledger;
        this.node = node;
        this.journal = journal;
        this.scheduler = scheduler;
        this.status = status;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @throws IOException       the journal could not record the acceptance (do not commit the offset)
     * @throws io.gridledger.ledger.LedgerException the ledger could not be asked (do not commit the offset)
     */
    public Decision receive(String key, String value) throws IOException {
        if (key != null && !key.equals(node.nodeId())) {
            return Decision.NOT_THIS_NODE;
        }
        Assignment assignment;
        try {
            assignment = json.readValue(value.getBytes(StandardCharsets.UTF_8), Argument.of(Assignment.class));
            new JobKey(assignment.jobId(), assignment.replica(), assignment.attempt());
        } catch (IOException | RuntimeException e) {
            LOG.warn("an assignment record that is not an assignment was skipped: {}", e.getMessage());
            return Decision.MALFORMED;
        }
        if (!node.nodeId().equals(assignment.nodeId())) {
            return Decision.NOT_THIS_NODE;
        }
        var jobKey = new JobKey(assignment.jobId(), assignment.replica(), assignment.attempt());
        if (journal.state(jobKey).isPresent() || scheduler.holds(jobKey)) {
            LOG.debug("job={} delivered again: already taken", jobKey);
            return Decision.DUPLICATE;
        }
        io.gridledger.ledger.JobView view;
        try {
            view = ledger.getJob(node.name(), assignment.jobId());
        } catch (ContractRefusal refusal) {
            if (refusal.code() == ContractErrorCode.NOT_FOUND) {
                LOG.warn("job={} refused: no such job on the ledger", jobKey);
                return Decision.REFUSED;
            }
            throw refusal;
        }
        var refusal = AssignmentCheck.refusal(assignment, view, node.nodeId(), clock.millis() / 1000);
        if (refusal.isPresent()) {
            LOG.info("job={} refused: {}", jobKey, refusal.get());
            return Decision.REFUSED;
        }
        var replica = view.replicas().stream().filter(r -> r.assignment().index() == assignment.replica())
                .findFirst().orElseThrow().assignment();
        var job = ActiveJob.of(jobKey, view.job(), replica.round(), replica.offerId(), replica.commitDeadline());
        journal.append(jobKey, new JobStep.Accepted(replica.offerId(), replica.commitDeadline() * 1000));
        status.step(jobKey, job.clientOrg(), Step.ACCEPTED);
        LOG.info("job={} accepted (client org {}, commit by {})", jobKey, job.clientOrg(), replica.commitDeadline());
        scheduler.submit(job);
        return Decision.ACCEPTED;
    }
}
