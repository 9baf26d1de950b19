package io.gridledger.chaincode.domain;

import static io.gridledger.chaincode.domain.Rejection.require;

/**
 * A provider node's resource offer as recorded on the ledger.
 *
 * <p>Free capacity is not a counter in this record: each free slot is its own entry in the market index
 * (see {@code Keys.freeSlot}), so assigning or freeing a slot never rewrites the offer and concurrent jobs
 * on one offer do not conflict on it.
 */
public record Offer(String offerId, String nodeId, String org, Resources slot, int slots, long unitPrice, long stake,
                    Status status, long createdAt, long updatedAt) {

    public enum Status { ACTIVE, PAUSED, WITHDRAWN }

    public static Offer publish(OfferSpec spec, String nodeId, String org, Params params, long now) {
        require(spec.stake() >= params.minStake(),
                "stake " + spec.stake() + " is below the consortium minimum " + params.minStake());
        return new Offer(spec.offerId(), nodeId, org, spec.slot(), spec.slots(), spec.unitPrice(), spec.stake(),
                Status.ACTIVE, now, now);
    }

    /** The offer with new terms; slots already running keep the price they were assigned at. */
    public Offer update(OfferSpec spec, Params params, long now) {
        requireOpen("update");
        require(spec.stake() >= params.minStake(),
                "stake " + spec.stake() + " is below the consortium minimum " + params.minStake());
        return new Offer(offerId, nodeId, org, spec.slot(), spec.slots(), spec.unitPrice(), spec.stake(), status,
                createdAt, now);
    }

    public Offer pause(long now) {
        requireOpen("pause");
        return withStatus(Status.PAUSED, now);
    }

    public Offer resume(Params params, long now) {
        requireOpen("resume");
        if (stake < params.minStake()) {
            throw new Rejection(ErrorCode.WRONG_STATE,
                    "offer " + offerId + " holds stake " + stake + ", below the minimum " + params.minStake() + "; top it up with UpdateOffer");
        }
        return withStatus(Status.ACTIVE, now);
    }

    /** Withdrawn offers return their stake; the caller checks that no work is in flight. */
    public Offer withdraw(long now) {
        requireOpen("withdraw");
        return new Offer(offerId, nodeId, org, slot, slots, unitPrice, 0, Status.WITHDRAWN, createdAt, now);
    }

    /** Takes a share of the stake after a wrong or missing result; pauses the offer if too little remains. */
    public Offer slash(long amount, Params params, long now) {
        var left = stake - amount;
        var newStatus = status == Status.ACTIVE && left < params.minStake() ? Status.PAUSED : status;
        return new Offer(offerId, nodeId, org, slot, slots, unitPrice, left, newStatus, createdAt, now);
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    public String resourceClass() {
        return slot.resourceClass();
    }

    private Offer withStatus(Status newStatus, long now) {
        return new Offer(offerId, nodeId, org, slot, slots, unitPrice, stake, newStatus, createdAt, now);
    }

    private void requireOpen(String action) {
        if (status == Status.WITHDRAWN) {
            throw Rejection.wrongState("offer " + offerId + " is withdrawn; cannot " + action + " it");
        }
    }
}
