package io.gridledger.gateway.api;

import io.gridledger.ledger.Job;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

/** The result as the ledger has it: the agreed fingerprint and the job's outcome, no outputs yet. */
@Singleton
@Secondary
final class LedgerResultLocator implements ResultLocator {

    @Override
    public ResultDownload locate(Job job) {
        var outcome = job.outcome();
        return new ResultDownload.Inline(new JobResult(job.jobId(), job.status(), outcome.fingerprint(),
                outcome.runtimeSeconds(), outcome));
    }
}
