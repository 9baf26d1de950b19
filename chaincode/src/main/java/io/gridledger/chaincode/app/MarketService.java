package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Ids;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.Offer;
import io.gridledger.chaincode.domain.OfferSpec;
import io.gridledger.chaincode.domain.Pricing;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.domain.SlotTable;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.Json;
import io.gridledger.chaincode.ledger.Keys;

import java.util.ArrayList;

/**
 * Resource offers and their capacity.
 *
 * <p>An offer's capacity lives in two places that only matching and slot returns write: its <b>slot table</b>
 * ({@code slots offerId}: which slot runs which replica attempt) and its <b>market entry</b>
 * ({@code market class, price, offerId}), present exactly while the offer is active and has a free slot. Matching
 * reads the market cheapest first, one entry per offer. Settling a job writes neither: the job's slots go back to
 * the market when a matcher (or anyone) releases them after the job's end event, so settlements never collide
 * with matching.
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
        save(ctx, null, offer, SlotTable.EMPTY);
        ctx.state().emit("OfferPublished", event("OfferPublished", offer));
        return offer;
    }

    public Offer update(Context ctx, OfferSpec spec) {
        var params = ctx.params();
        var old = owned(ctx, spec.offerId(), "UpdateOffer");
        var table = releaseEnded(ctx, old);
        var updated = old.update(spec, params, !table.isEmpty(), ctx.now());
        long extraStake = updated.stake() - old.stake();
        if (extraStake > 0) {
            ctx.balances().debit(old.nodeId(), extraStake);
        } else if (extraStake < 0) {
            ctx.balances().credit(old.nodeId(), -extraStake);
        }
        save(ctx, old, updated, table);
        ctx.state().emit("OfferUpdated", event("OfferUpdated", updated));
        return updated;
    }

    public Offer pause(Context ctx, String offerId) {
        var old = owned(ctx, offerId, "PauseOffer");
        var paused = old.pause(ctx.now());
        save(ctx, old, paused, slotTable(ctx, offerId));
        ctx.state().emit("OfferPaused", event("OfferPaused", paused));
        return paused;
    }

    public Offer resume(Context ctx, String offerId) {
        var old = owned(ctx, offerId, "ResumeOffer");
        var resumed = old.resume(ctx.params(), ctx.now());
        save(ctx, old, resumed, releaseEnded(ctx, old));
        ctx.state().emit("OfferResumed", event("OfferResumed", resumed));
        return resumed;
    }

    /**
     * Withdraws an offer and returns its stake; refused while any of its slots runs a replica. Slots still held by
     * jobs that have ended are returned first, so the owner need not wait for a matcher to do it.
     */
    public Offer withdraw(Context ctx, String offerId) {
        var old = owned(ctx, offerId, "WithdrawOffer");
        var table = releaseEnded(ctx, old);
        if (!table.isEmpty()) {
            throw Rejection.wrongState("offer " + offerId + " still runs work (" + table.busy().values()
                    + "); pause it and withdraw when its slots are free");
        }
        var withdrawn = old.withdraw(ctx.now());
        ctx.balances().credit(old.nodeId(), old.stake());
        save(ctx, old, withdrawn, table);
        ctx.state().emit("OfferWithdrawn", event("OfferWithdrawn", withdrawn));
        return withdrawn;
    }

    public Offer find(Context ctx, String offerId) {
        Ids.requireAssetId("offerId", offerId);
        return ctx.state().get(Keys.offer(offerId), Offer.class)
                .orElseThrow(() -> Rejection.notFound("offer", offerId));
    }

    public SlotTable slotTable(Context ctx, String offerId) {
        return ctx.state().get(Keys.slots(offerId), SlotTable.class).orElse(SlotTable.EMPTY);
    }

    /**
     * Takes the lowest free slot of {@code offer} for the replica attempt {@code tag}; removes the offer from the
     * market when that was its last free slot. The market entry promised a free slot, so there is one.
     */
    public int occupy(Context ctx, Replica.Candidate offer, String tag) {
        var table = slotTable(ctx, offer.offerId());
        int slot = table.firstFree(offer.slots()).orElseThrow(() -> new IllegalStateException(
                "market entry of offer " + offer.offerId() + " lists no free slot"));
        var next = table.occupy(slot, tag);
        ctx.state().put(Keys.slots(offer.offerId()), next);
        if (next.freeCount(offer.slots()) == 0) {
            ctx.state().delete(Keys.market(offer.resources().resourceClass(), offer.unitPrice(), offer.offerId()));
        }
        return slot;
    }

    /**
     * Returns {@code slot} of {@code offerId} to the market if the replica attempt {@code tag} still holds it
     * (returning twice is harmless). It comes back at the offer's current terms, if the offer is active.
     *
     * @return whether the slot was returned
     */
    public boolean release(Context ctx, String offerId, int slot, String tag) {
        var table = slotTable(ctx, offerId);
        if (!tag.equals(table.busy().get(slot))) {
            return false;
        }
        var next = table.release(slot);
        ctx.state().put(Keys.slots(offerId), next);
        var offer = ctx.state().get(Keys.offer(offerId), Offer.class).orElseThrow();
        if (offer.isActive() && table.freeCount(offer.slots()) == 0 && next.freeCount(offer.slots()) > 0) {
            ctx.state().put(Keys.market(offer.resourceClass(), offer.unitPrice(), offerId), offer.candidate());
        }
        return true;
    }

    /**
     * Takes {@code slashBasisPoints} of a slot's {@code collateral} (at most what the offer still holds) to the
     * treasury; pauses the offer when its stake falls below the minimum. Returns the amount taken.
     */
    public long slash(Context ctx, String offerId, long collateral, int slashBasisPoints) {
        var offer = ctx.state().get(Keys.offer(offerId), Offer.class).orElseThrow();
        long amount = Math.min(Pricing.slash(collateral, slashBasisPoints), offer.stake());
        if (amount == 0) {
            return 0;
        }
        var slashed = offer.slash(amount, ctx.params(), ctx.now());
        ctx.balances().credit(Keys.TREASURY, amount);
        save(ctx, offer, slashed, slotTable(ctx, offerId));
        return amount;
    }

    public static Replica.Candidate readCandidate(byte[] value) {
        return Json.read(value, Replica.Candidate.class);
    }

    /** Returns the slots of this offer held by replica attempts that have ended; the table as it is afterwards. */
    private SlotTable releaseEnded(Context ctx, Offer offer) {
        var table = slotTable(ctx, offer.offerId());
        var ended = new ArrayList<Integer>();
        for (var held : table.busy().entrySet()) {
            if (holdEnded(ctx, held.getValue())) {
                ended.add(held.getKey());
            }
        }
        if (ended.isEmpty()) {
            return table;
        }
        var next = table;
        for (int slot : ended) {
            next = next.release(slot);
        }
        ctx.state().put(Keys.slots(offer.offerId()), next);
        return next;
    }

    /** Whether the replica attempt named by {@code tag} ({@code jobId#replica#attempt}) no longer needs its slot. */
    private static boolean holdEnded(Context ctx, String tag) {
        int last = tag.lastIndexOf('#');
        int middle = tag.lastIndexOf('#', last - 1);
        var jobId = tag.substring(0, middle);
        int replica = Integer.parseInt(tag.substring(middle + 1, last));
        int attempt = Integer.parseInt(tag.substring(last + 1));
        var job = ctx.state().get(Keys.job(jobId), Job.class).orElse(null);
        if (job == null || job.isFinished()) {
            return true;
        }
        return job.holds().stream().anyMatch(h -> h.replica() == replica && h.attempt() == attempt && h.ended());
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
     * Writes an offer and brings its indexes in line with it: the class index lists every offer not withdrawn,
     * the market lists it while it is active and has a free slot under {@code table}.
     */
    private void save(Context ctx, Offer old, Offer offer, SlotTable table) {
        var state = ctx.state();
        state.put(Keys.offer(offer.offerId()), offer);
        state.putMarker(Keys.offerByNode(offer.nodeId(), offer.offerId()));
        if (old != null) {
            state.delete(Keys.offerByClass(old.resourceClass(), old.unitPrice(), old.offerId()));
            state.delete(Keys.market(old.resourceClass(), old.unitPrice(), old.offerId()));
        }
        if (offer.status() != Offer.Status.WITHDRAWN) {
            state.putMarker(Keys.offerByClass(offer.resourceClass(), offer.unitPrice(), offer.offerId()));
        }
        if (offer.isActive() && table.freeCount(offer.slots()) > 0) {
            state.put(Keys.market(offer.resourceClass(), offer.unitPrice(), offer.offerId()), offer.candidate());
        }
    }

    private static ContractEvent event(String type, Offer offer) {
        return ContractEvent.of(type).withOffer(offer.offerId()).withResourceClass(offer.resourceClass());
    }
}
