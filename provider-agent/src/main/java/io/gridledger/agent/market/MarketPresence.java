package io.gridledger.agent.market;

import io.gridledger.agent.NodeIdentity;
import io.gridledger.agent.config.AgentSettings;
import io.gridledger.agent.node.NodeResources;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.Offer;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The node's offer on the ledger, signed with the node's identity: published when it has none, updated when the
 * node or its configuration changed, resumed when it was paused (by a clean stop); paused again by {@link #leave}.
 */
@Singleton
public final class MarketPresence {

    private static final Logger LOG = LoggerFactory.getLogger(MarketPresence.class);

    private final Ledger ledger;
    private final NodeIdentity node;
    private final AgentSettings settings;
    private volatile Offer offer;

    public MarketPresence(Ledger ledger, NodeIdentity node, AgentSettings settings) {
        this.ledger = ledger;
        this.node = node;
        this.settings = settings;
    }

    /** Publishes, updates or resumes the offer so it is ACTIVE with what this node offers now. */
    public Offer join(NodeResources resources) {
        long minStake = ledger.getParameters(node.name()).minStakePerSlot();
        var wanted = OfferPlan.of(resources, settings, minStake);
        var current = find(wanted.offerId());
        Offer result;
        if (current.isEmpty()) {
            result = ledger.publishOffer(node.name(), wanted).value();
            LOG.info("offer {} published: {} slot(s) of {} at {} per unit-second, stake {}", wanted.offerId(),
                    wanted.slots(), wanted.slot().resourceClass(), wanted.unitPrice(), wanted.stake());
        } else {
            result = current.get();
            if (!result.nodeId().equals(node.nodeId())) {
                throw new IllegalStateException("offer " + wanted.offerId() + " belongs to " + result.nodeId()
                        + ": configure another gridledger.agent.offer-id");
            }
            if (result.status() == Offer.Status.WITHDRAWN) {
                throw new IllegalStateException("offer " + wanted.offerId() + " was withdrawn: configure a new offer id");
            }
            if (!OfferPlan.matches(result, wanted)) {
                try {
                    result = ledger.updateOffer(node.name(), wanted).value();
                    LOG.info("offer {} updated to {} slot(s) at {}", wanted.offerId(), wanted.slots(), wanted.unitPrice());
                } catch (ContractRefusal refusal) {
                    LOG.warn("offer {} kept as it is: {}", wanted.offerId(), refusal.getMessage());
                }
            }
            if (result.status() == Offer.Status.PAUSED) {
                result = ledger.resumeOffer(node.name(), wanted.offerId()).value();
                LOG.info("offer {} resumed", wanted.offerId());
            }
        }
        offer = result;
        return result;
    }

    /** Pauses the offer: the market assigns the node nothing new; what it holds it still finishes after a restart. */
    public void leave() {
        if (offer == null || !settings.pauseOnShutdown()) {
            return;
        }
        try {
            offer = ledger.pauseOffer(node.name(), offer.offerId()).value();
            LOG.info("offer {} paused", offer.offerId());
        } catch (RuntimeException e) {
            LOG.warn("offer {} could not be paused: {}", offer.offerId(), e.getMessage());
        }
    }

    public Optional<Offer> offer() {
        return Optional.ofNullable(offer);
    }

    private Optional<Offer> find(String offerId) {
        try {
            return Optional.of(ledger.getOffer(node.name(), offerId));
        } catch (ContractRefusal refusal) {
            if (refusal.code() == ContractErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw refusal;
        }
    }
}
