package io.gridledger.chaincode.domain;

import static io.gridledger.chaincode.domain.Rejection.require;

/**
 * A provider node's resource offer as recorded on the ledger.
 *
 * <p>Which slots are busy is not in this record but in the offer's slot table, and whether the offer has a free
 * slot is its entry in the market index, both written only by matching and by returning slots; so assigning and
 * freeing slots never rewrite the offer, and the offer changes only when its owner changes it or it is slashed.
 *
 * <p>Collateral: the stake must cover {@code minStakePerSlot} for each slot, and each slot carries
 * {@code stake / slots} of it ({@link #collateralPerSlot()}); a wrong or missing result costs a share of that,
 * the same for every slot, so many failures cost at least as much as one.
 */
public record Offer(String offerId, String nodeId, String org, Resources slot, int slots, long unitPrice, long stake,
                    Status status, long createdAt, long updatedAt) {

    public enum Status { ACTIVE, PAUSED, WITHDRAWN }

    public static Offer publish(OfferSpec spec, String nodeId, String org, Params params, long now) {
        requireStake(spec, params);
        return new Offer(spec.offerId(), nodeId, org, spec.slot(), spec.slots(), spec.unitPrice(), spec.stake(),
                Status.ACTIVE, now, now);
    }

    /**
     * The offer with new terms; slots already running keep the price and collateral they were assigned at. The
     * stake may not decrease while any slot is busy: it backs the work in flight.
     */
    public Offer update(OfferSpec spec, Params params, boolean anySlotBusy, long now) {
        requireOpen("update");
        requireStake(spec, params);
        if (spec.stake() < stake && anySlotBusy) {
            throw Rejection.wrongState("offer " + offerId + " has work in flight; its stake (" + stake
                    + ") may not decrease until every slot is free");
        }
        return new Offer(offerId, nodeId, org, spec.slot(), spec.slots(), spec.unitPrice(), spec.stake(), status,
                createdAt, Math.max(now, updatedAt));
    }

    public Offer pause(long now) {
        requireOpen("pause");
        return withStatus(Status.PAUSED, now);
    }

    public Offer resume(Params params, long now) {
        requireOpen("resume");
        if (stake < minStake(params, slots)) {
            throw new Rejection(ErrorCode.WRONG_STATE, "offer " + offerId + " holds stake " + stake + ", below the minimum "
                    + minStake(params, slots) + " for " + slots + " slots; top it up with UpdateOffer");
        }
        return withStatus(Status.ACTIVE, now);
    }

    /** Withdrawn offers return their stake; the caller checks that no work is in flight. */
    public Offer withdraw(long now) {
        requireOpen("withdraw");
        return new Offer(offerId, nodeId, org, slot, slots, unitPrice, 0, Status.WITHDRAWN, createdAt,
                Math.max(now, updatedAt));
    }

    /** Takes {@code amount} (at most the whole stake); pauses the offer if too little remains. */
    public Offer slash(long amount, Params params, long now) {
        var left = stake - Math.min(amount, stake);
        var newStatus = status == Status.ACTIVE && left < minStake(params, slots) ? Status.PAUSED : status;
        return new Offer(offerId, nodeId, org, slot, slots, unitPrice, left, newStatus, createdAt,
                Math.max(now, updatedAt));
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    public String resourceClass() {
        return slot.resourceClass();
    }

    /** The collateral each slot carries: what a replica assigned now would put at risk. */
    public long collateralPerSlot() {
        return stake / slots;
    }

    public Replica.Candidate candidate() {
        return new Replica.Candidate(offerId, nodeId, org, unitPrice, slots, collateralPerSlot(), slot);
    }

    private static long minStake(Params params, int slots) {
        return params.minStakePerSlot() * slots;
    }

    private static void requireStake(OfferSpec spec, Params params) {
        require(spec.stake() >= minStake(params, spec.slots()), "stake " + spec.stake() + " is below the consortium minimum "
                + minStake(params, spec.slots()) + " (" + params.minStakePerSlot() + " per slot × " + spec.slots() + " slots)");
    }

    private Offer withStatus(Status newStatus, long now) {
        return new Offer(offerId, nodeId, org, slot, slots, unitPrice, stake, newStatus, createdAt,
                Math.max(now, updatedAt));
    }

    private void requireOpen(String action) {
        if (status == Status.WITHDRAWN) {
            throw Rejection.wrongState("offer " + offerId + " is withdrawn; cannot " + action + " it");
        }
    }
}
