package io.gridledger.chaincode.app.jobs;

import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.Pricing;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.domain.ReplicaState;
import io.gridledger.chaincode.domain.Settlement;
import io.gridledger.chaincode.domain.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a job ends, decided before anything is written: the final status, how each replica's work was judged and
 * what it is paid, the split of the escrow, and the reason. {@link SettlementService#finish} applies it in one
 * place (payments, fee, refund, slashing, reputation, the job's outcome and its event).
 *
 * @param judged      every replica whose work is judged now, with its verdict and payment
 * @param settlement  payments, fee and refund; they add up to the escrow
 * @param fingerprint the agreed result fingerprint (completed jobs only)
 * @param runtime     the runtime the agreeing replicas were paid for (completed jobs only)
 */
record JobEnding(Job.Status status, List<Judged> judged, Settlement settlement, String fingerprint, long runtime,
                 String reason) {

    /** One replica's verdict and what it earned. */
    record Judged(Replica replica, Verdict verdict, long paid) {
    }

    JobEnding {
        judged = List.copyOf(judged);
    }

    /**
     * Judges replicas: {@code paid} claims (seconds of work at the replica's price) get their verdict and their
     * payment; the escrow's remainder, less the fee on the payments, is refunded.
     */
    static JobEnding of(Job job, Job.Status status, Map<ReplicaState, Verdict> verdicts, List<Settlement.Claim> claims,
                        long escrow, String fingerprint, long runtime, String reason) {
        var settlement = Settlement.split(claims, job.microUnits(), escrow, job.terms().feeBasisPoints());
        var judged = new ArrayList<Judged>();
        verdicts.forEach((state, verdict) -> {
            long paid = 0;
            for (var claim : claims) {
                if (claim.nodeId().equals(state.nodeId())) {
                    paid += Pricing.cost(claim.unitPrice(), job.microUnits(), claim.seconds());
                }
            }
            judged.add(new Judged(state.replica(), verdict, paid));
        });
        judged.sort(java.util.Comparator.comparingInt(j -> j.replica().index()));
        return new JobEnding(status, judged, settlement, fingerprint, runtime, reason);
    }

    static JobEnding refundAll(Job job, long escrow, Map<ReplicaState, Verdict> verdicts, Job.Status status, String reason) {
        return of(job, status, verdicts, List.of(), escrow, null, 0, reason);
    }
}
