package io.gridledger.chaincode.domain;

import static io.gridledger.chaincode.domain.Rejection.requirePresent;
import static io.gridledger.chaincode.domain.Rejection.requireRange;

/**
 * What a provider node asks for when it publishes or updates an offer.
 *
 * @param offerId   id chosen by the provider (retrying a publish with the same id cannot create a second offer)
 * @param slot      resources of one slot: what one job replica may use
 * @param slots     how many replicas may run at once (capacity)
 * @param unitPrice credits per resource-unit-second (see {@link ResourceUnits})
 * @param stake     collateral locked from the node's account while the offer exists
 */
public record OfferSpec(String offerId, Resources slot, int slots, long unitPrice, long stake) {

    public static final int MAX_SLOTS = 1_024;
    /** Most bytes an offer spec may take as JSON. */
    public static final int MAX_BYTES = 8 * 1024;

    public OfferSpec {
        Ids.requireAssetId("offerId", offerId);
        requirePresent("slot", slot);
        requireRange("slots", slots, 1, MAX_SLOTS);
        requireRange("unitPrice", unitPrice, 1, Pricing.MAX_UNIT_PRICE);
        requireRange("stake", stake, 0, Params.MAX_CREDITS);
    }
}
