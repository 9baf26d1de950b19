package io.gridledger.chaincode.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a job's escrow is split when the job ends: payments to provider nodes, the consortium fee on those
 * payments, and the refund to the client. The three always add up to the escrow.
 */
public record Settlement(Map<String, Long> payments, long fee, long refund) {

    public Settlement {
        payments = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(payments));
    }

    public long paid() {
        return payments.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One replica's claim on the escrow. */
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
            payments.merge(claim.nodeId(), amount, Long::sum);
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
     * The runtime an agreeing group is paid for: the median of what its replicas reported (the lower of
     * the two middle values for an even count), each already capped by the job's timeout.
     */
    public static long medianRuntime(List<Replica> agreeing) {
        var runtimes = new ArrayList<Long>();
        for (var replica : agreeing) {
            runtimes.add(replica.runtimeSeconds());
        }
        runtimes.sort(null);
        return runtimes.get((runtimes.size() - 1) / 2);
    }
}
