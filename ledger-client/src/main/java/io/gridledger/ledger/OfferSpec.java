package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What a provider node publishes or updates ({@code PublishOffer}, {@code UpdateOffer}).
 *
 * @param slot      resources of one slot: what one replica may use
 * @param slots     replicas that may run at once
 * @param unitPrice credits per resource-unit-second
 * @param stake     collateral locked from the node's account (at least {@code minStakePerSlot} × slots)
 */
@Serdeable
public record OfferSpec(String offerId, Resources slot, int slots, long unitPrice, long stake) {
}
