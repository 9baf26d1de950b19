package io.gridledger.chaincode.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a job's escrow is split when the job ends: payments to provider nodes, the consortium fee on those
 * payments, and the refund to the client. The three always add up to the escrow, and the client is never charged
 * more than it escrowed.
 */
public record Settlement(Map<String, Long> payments, long fee, long refund) {

    public Settlement {
        payments = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(payments));
    }

    public long paid() {
        return payments.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One replica's claim on the escrow: {@code seconds} of work at its assigned price. */
    public record Claim(String nodeId, long unitPrice, long seconds) {
    }

    /**
     * Pays each claim {@code unitPrice × RU × seconds}, takes the fee on the total and refunds the rest.
     *
     * @throws IllegalStateException if the escrow cannot cover it (the escrow is sized so this cannot happen)
     */
    public static Settlement split(List<Claim> claims, long microUnits, long escrow, int feeBasisPoints) {
        var payments = new TreeMap<String, Long>();
        long total = 0;
        for (var claim : claims) {
            long amount = Pricing.cost(claim.unitPrice(), microUnits, claim.seconds());
            if (amount > 0) {
                payments.merge(claim.nodeId(), amount, Long::sum);
            }
            total = Math.addExact(total, amount);
        }
        long fee = Pricing.fee(total, feeBasisPoints);
        long refund = escrow - total - fee;
        if (refund < 0) {
            throw new IllegalStateException("escrow " + escrow + " cannot cover payments " + total + " and fee " + fee);
        }
        return new Settlement(payments, fee, refund);
    }

    /** Everything back to the client. */
    public static Settlement refundAll(long escrow) {
        return new Settlement(Map.of(), 0, escrow);
    }

    /**
     * Claims of a group of replicas that revealed the same result: each is paid for the group's median of the
     * seconds the ledger saw (the lower middle value for an even count), but never more than its own, so no
     * replica is paid for time that did not pass for it.
     */
    public static List<Claim> agreeingClaims(List<ReplicaState> group, long timeoutSeconds) {
        var seconds = new ArrayList<Long>();
        group.forEach(r -> seconds.add(r.observedSeconds(timeoutSeconds)));
        seconds.sort(null);
        long median = seconds.get((seconds.size() - 1) / 2);
        var claims = new ArrayList<Claim>();
        for (var replica : group) {
            claims.add(new Claim(replica.nodeId(), replica.replica().unitPrice(),
                    Math.min(median, replica.observedSeconds(timeoutSeconds))));
        }
        return claims;
    }

    /** The runtime a completed job reports: the median the agreeing replicas are paid for. */
    public static long medianSeconds(List<ReplicaState> group, long timeoutSeconds) {
        var seconds = new ArrayList<Long>();
        group.forEach(r -> seconds.add(r.observedSeconds(timeoutSeconds)));
        seconds.sort(null);
        return seconds.get((seconds.size() - 1) / 2);
    }
}
