package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobSpec;

import java.util.Objects;

/**
 * A replica attempt this node holds, with what running it needs from the ledger: the job's spec, its client org
 * (whose gateway has the inputs), the round (a tie-breaker reveals the digest itself) and the commit deadline.
 */
public record ActiveJob(JobKey key, int round, String clientOrg, String offerId, JobSpec spec, long commitDeadline,
                        long clockToleranceSeconds) {

    public ActiveJob {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clientOrg, "clientOrg");
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(spec, "spec");
    }

    static ActiveJob of(JobKey key, Job job, int round, String offerId, long commitDeadline) {
        return new ActiveJob(key, round, job.clientOrg(), offerId, job.spec(), commitDeadline,
                job.terms().clockToleranceSeconds());
    }

    public boolean tieBreaker() {
        return round == 1;
    }
}
