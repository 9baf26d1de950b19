package io.gridledger.gateway.housekeeping;

import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Ledger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What housekeeping needs to know of any job, remembered: whose client submitted it and its resource class. Chaincode
 * events name jobs only, so the first time a job is met it is read from the ledger.
 */
final class JobDirectory {

    record Facts(String clientOrg, String resourceClass) {
    }

    private static final int CAPACITY = 100_000;

    private final Ledger ledger;
    private final String identity;
    private final String mspId;
    private final Map<String, Facts> facts = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Facts> eldest) {
            return size() > CAPACITY;
        }
    };

    JobDirectory(Ledger ledger, String identity, String mspId) {
        this.ledger = ledger;
        this.identity = identity;
        this.mspId = mspId;
    }

    synchronized void remember(Job job) {
        facts.put(job.jobId(), new Facts(job.clientOrg(), job.resourceClass()));
    }

    /** The job's facts, read from the ledger if they are not known yet. */
    Facts of(String jobId) {
        synchronized (this) {
            var known = facts.get(jobId);
            if (known != null) {
                return known;
            }
        }
        JobView view = ledger.getJob(identity, jobId);
        remember(view.job());
        return new Facts(view.job().clientOrg(), view.job().resourceClass());
    }

    /** Whether one of this org's clients submitted the job. */
    boolean isOwn(String jobId) {
        return of(jobId).clientOrg().equals(mspId);
    }

    String mspId() {
        return mspId;
    }
}
