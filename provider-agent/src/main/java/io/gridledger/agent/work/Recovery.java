package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.NodeIdentity;
import io.gridledger.agent.journal.JobState;
import io.gridledger.agent.journal.Journal;
import io.gridledger.agent.runtime.ContainerRuntime;
import io.gridledger.agent.runtime.ContainerRuntimeException;
import io.gridledger.agent.status.FailureReason;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Ledger;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;

/**
 * What a (re)started agent does before it takes new work: every job the journal holds unfinished is looked up on the
 * ledger and either resumed from its phase ({@link WorkScheduler} up to the commit, {@link RevealWatcher} after it)
 * or, when the replica is no longer this node's, ended and cleaned up. Then every GridLedger container on the engine
 * that belongs to no unfinished job is removed (orphans of a crash), and old finished jobs are compacted out of the
 * journal.
 */
@Singleton
public final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    /** Finished jobs are kept this long in the journal, so a redelivered assignment is still recognised. */
    private static final Duration KEEP_FINISHED = Duration.ofDays(2);

    private final Journal journal;
    private final Ledger ledger;
    private final NodeIdentity node;
    private final ContainerRuntime runtime;
    private final WorkScheduler scheduler;
    private final RevealWatcher reveals;
    private final JobRunner runner;
    private final Clock clock;

    public Recovery(Journal journal, Ledger ledger, NodeIdentity node, ContainerRuntime runtime, WorkScheduler scheduler,
                    RevealWatcher reveals, JobRunner runner, Clock clock) {
        this.journal = journal;
        this.ledger = ledger;
        this.node = node;
        this.runtime = runtime;
        this.scheduler = scheduler;
        this.reveals = reveals;
        this.runner = runner;
        this.clock = clock;
    }

    /** Resumes or ends each unfinished job; returns how many were resumed. */
    public int run() throws IOException, ContainerRuntimeException {
        long cutoff = clock.millis() - KEEP_FINISHED.toMillis();
        journal.compact(state -> !state.phase().terminal() || state.updatedEpochMillis() > cutoff);
        var unfinished = journal.unfinished();
        var live = new HashSet<JobKey>();
        int resumed = 0;
        for (JobState state : unfinished) {
            live.add(state.key());
            var job = activeJob(state);
            if (job.isEmpty()) {
                continue;
            }
            resumed++;
            LOG.info("job={} resumed at {}", state.key(), state.phase());
            if (state.phase() == JobState.Phase.COMMITTED) {
                reveals.watch(job.get());
            } else {
                scheduler.submit(job.get());
            }
        }
        int orphans = 0;
        for (var container : runtime.list(Optional.empty())) {
            if (!live.contains(container.job())) {
                runtime.remove(container.id());
                orphans++;
            }
        }
        LOG.info("recovery: {} unfinished job(s) in the journal, {} resumed, {} orphaned container(s) removed",
                unfinished.size(), resumed, orphans);
        return resumed;
    }

    /** The job as the ledger has it, or empty after ending it here when the replica is no longer this node's. */
    private Optional<ActiveJob> activeJob(JobState state) {
        var key = state.key();
        io.gridledger.ledger.JobView view;
        try {
            view = ledger.getJob(node.name(), key.jobId());
        } catch (ContractRefusal refusal) {
            if (refusal.code() != ContractErrorCode.NOT_FOUND) {
                throw refusal;
            }
            end(state, null, "the job is not on the ledger");
            return Optional.empty();
        }
        var replica = view.replicas().stream().filter(r -> r.assignment().index() == key.replica()
                && r.assignment().attempt() == key.attempt() && node.nodeId().equals(r.assignment().nodeId())).findFirst();
        var placeholder = replica.map(r -> ActiveJob.of(key, view.job(), r.assignment().round(), r.assignment().offerId(),
                r.assignment().commitDeadline()));
        if (placeholder.isEmpty() || !replica.get().assignment().isActive()) {
            end(state, placeholder.orElse(null), "the replica is no longer this node's (timed out or reassigned)");
            return Optional.empty();
        }
        boolean committed = replica.get().committed();
        if (view.job().isFinished() && !(committed && state.phase() == JobState.Phase.COMMITTED)) {
            end(state, placeholder.get(), "the job ended " + view.job().status());
            return Optional.empty();
        }
        return placeholder;
    }

    private void end(JobState state, ActiveJob job, String why) {
        if (job == null) {
            try {
                journal.append(state.key(), new io.gridledger.agent.journal.JobStep.Failed(
                        FailureReason.CANCELLED.name() + ": " + why));
            } catch (IOException e) {
                LOG.error("job={} could not be ended in the journal: {}", state.key(), e.toString());
            }
            runner.cleanUp(state.key());
            return;
        }
        runner.fail(job, new JobFailure(FailureReason.CANCELLED, why));
    }
}
