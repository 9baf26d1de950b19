package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Ids;
import io.gridledger.chaincode.domain.Offer;
import io.gridledger.chaincode.domain.OfferSpec;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.Json;
import io.gridledger.chaincode.ledger.Keys;

/**
 * Resource offers and their slots.
 *
 * <p>A slot is either free — an entry in the {@code free} index, ordered by class and price, which is
 * what matching reads — or busy — a {@code busy} entry naming the replica that holds it. Both are keyed
 * per slot, so assignments and releases on one offer do not write a shared key.
 */
public final class MarketService {

    public Offer publish(Context ctx, OfferSpec spec) {
        var params = ctx.params();
        var caller = ctx.caller().require(params, Role.PROVIDER, "PublishOffer");
        if (ctx.state().exists(Keys.offer(spec.offerId()))) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "offer " + spec.offerId() + " already exists");
        }
        var offer = Offer.publish(spec, caller.accountId(), caller.mspId(), params, ctx.now());
        ctx.balances().debit(offer.nodeId(), offer.stake());
        save(ctx, null, offer);
        ctx.state().emit("OfferPublished", event("OfferPublished", offer));
        return offer;
    }

    public Offer update(Context ctx, OfferSpec spec) {
        var params = ctx.params();
        var old = owned(ctx, spec.offerId(), "UpdateOffer");
        var updated = old.update(spec, params, ctx.now());
        long extraStake = updated.stake() - old.stake();
        if (extraStake > 0) {
            ctx.balances().debit(old.nodeId(), extraStake);
        } else if (extraStake < 0) {
            ctx.balances().credit(old.nodeId(), -extraStake);
        }
        save(ctx, old, updated);
        ctx.state().emit("OfferUpdated", event("OfferUpdated", updated));
        return updated;
    }

    public Offer pause(Context ctx, String offerId) {
        var old = owned(ctx, offerId, "PauseOffer");
        var paused = old.pause(ctx.now());
        save(ctx, old, paused);
        ctx.state().emit("OfferPaused", event("OfferPaused", paused));
        return paused;
    }

    public Offer resume(Context ctx, String offerId) {
        var old = owned(ctx, offerId, "ResumeOffer");
        var resumed = old.resume(ctx.params(), ctx.now());
        save(ctx, old, resumed);
        ctx.state().emit("OfferResumed", event("OfferResumed", resumed));
        return resumed;
    }

    /** Withdraws an offer and returns its stake; refused while any of its slots runs a replica. */
    public Offer withdraw(Context ctx, String offerId) {
        var old = owned(ctx, offerId, "WithdrawOffer");
        for (var busy : ctx.state().scan(Keys.busySlotsOf(offerId), entry -> entry)) {
            throw Rejection.wrongState("offer " + offerId + " still runs work (" + busy.getStringValue()
                    + "); pause it and withdraw when its slots are free");
        }
        var withdrawn = old.withdraw(ctx.now());
        ctx.balances().credit(old.nodeId(), old.stake());
        save(ctx, old, withdrawn);
        ctx.state().emit("OfferWithdrawn", event("OfferWithdrawn", withdrawn));
        return withdrawn;
    }

    public Offer find(Context ctx, String offerId) {
        Ids.requireAssetId("offerId", offerId);
        return ctx.state().get(Keys.offer(offerId), Offer.class)
                .orElseThrow(() -> Rejection.notFound("offer", offerId));
    }

    /** Marks a free slot busy for a replica. */
    void occupy(Context ctx, Replica.Slot slot, String jobId, int replica) {
        ctx.state().delete(Keys.freeSlot(slot.resources().resourceClass(), slot.unitPrice(), slot.offerId(), slot.slot()));
        ctx.state().putRaw(Keys.busySlot(slot.offerId(), slot.slot()),
                (jobId + "#" + replica).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Frees a replica's slot; it returns to the market at the offer's current terms if the offer is active. */
    void release(Context ctx, Replica replica) {
        ctx.state().delete(Keys.busySlot(replica.offerId(), replica.slot()));
        var offer = ctx.state().get(Keys.offer(replica.offerId()), Offer.class).orElseThrow();
        if (offer.isActive() && replica.slot() < offer.slots()) {
            ctx.state().put(Keys.freeSlot(offer.resourceClass(), offer.unitPrice(), offer.offerId(), replica.slot()),
                    freeSlot(offer, replica.slot()));
        }
    }

    /** Takes a share of an offer's stake to the treasury; returns the amount taken. */
    long slash(Context ctx, String offerId, long now) {
        var params = ctx.params();
        var offer = ctx.state().get(Keys.offer(offerId), Offer.class).orElseThrow();
        long amount = io.gridledger.chaincode.domain.Pricing.slash(offer.stake(), params.slashBasisPoints());
        if (amount == 0) {
            return 0;
        }
        var slashed = offer.slash(amount, params, now);
        ctx.balances().credit(Keys.TREASURY, amount);
        save(ctx, offer, slashed);
        return amount;
    }

    static Replica.Slot readSlot(byte[] value) {
        return Json.read(value, Replica.Slot.class);
    }

    private Offer owned(Context ctx, String offerId, String action) {
        var params = ctx.params();
        var caller = ctx.caller().require(params, Role.PROVIDER, action);
        var offer = find(ctx, offerId);
        if (!offer.nodeId().equals(caller.accountId())) {
            throw Rejection.forbidden(action + ": offer " + offerId + " belongs to " + offer.nodeId() + ", not " + caller.accountId());
        }
        return offer;
    }

    /**
     * Writes an offer and brings its index entries and free slots in line with it: an active offer lists
     * every slot that is not busy at its current class and price; other offers list none.
     */
    private void save(Context ctx, Offer old, Offer offer) {
        var state = ctx.state();
        state.put(Keys.offer(offer.offerId()), offer);
        state.putMarker(Keys.offerByNode(offer.nodeId(), offer.offerId()));
        if (old != null) {
            state.delete(Keys.offerByClass(old.resourceClass(), old.unitPrice(), old.offerId()));
            if (old.isActive()) {
                for (int slot = 0; slot < old.slots(); slot++) {
                    state.delete(Keys.freeSlot(old.resourceClass(), old.unitPrice(), old.offerId(), slot));
                }
            }
        }
        if (offer.status() != Offer.Status.WITHDRAWN) {
            state.putMarker(Keys.offerByClass(offer.resourceClass(), offer.unitPrice(), offer.offerId()));
        }
        if (offer.isActive()) {
            for (int slot = 0; slot < offer.slots(); slot++) {
                if (!state.exists(Keys.busySlot(offer.offerId(), slot))) {
                    state.put(Keys.freeSlot(offer.resourceClass(), offer.unitPrice(), offer.offerId(), slot),
                            freeSlot(offer, slot));
                }
            }
        }
    }

    private static Replica.Slot freeSlot(Offer offer, int slot) {
        return new Replica.Slot(offer.offerId(), slot, offer.nodeId(), offer.org(), offer.unitPrice(), offer.slot());
    }

    private static ContractEvent event(String type, Offer offer) {
        return ContractEvent.of(type).withOffer(offer.offerId()).withResourceClass(offer.resourceClass());
    }
}
