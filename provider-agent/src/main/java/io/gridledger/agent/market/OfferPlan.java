package io.gridledger.agent.market;

import io.gridledger.agent.config.AgentSettings;
import io.gridledger.agent.node.NodeResources;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.OfferSpec;
import io.gridledger.ledger.Resources;

import java.util.Objects;
import java.util.TreeMap;

/**
 * The offer a node makes from what it has and what its operator configured: {@code capacity} slots, each a share of
 * the node (or the configured slot size), at the configured price and stake (at least the consortium's minimum per
 * slot), with the operator's and the detected labels.
 */
public final class OfferPlan {

    /** Memory left to the node itself (agent, engine, system) when slots are sized from the node's total. */
    static final long NODE_RESERVED_MIB = 512;

    private OfferPlan() {
    }

    public static OfferSpec of(NodeResources node, AgentSettings settings, long minStakePerSlot) {
        int slots = settings.capacity();
        long cpu = settings.slotCpuMillis() > 0 ? settings.slotCpuMillis() : Math.max(10, node.cpuMillis() / slots);
        long memory = settings.slotMemoryMib() > 0 ? settings.slotMemoryMib()
                : Math.max(8, (node.memoryMiB() - Math.min(NODE_RESERVED_MIB, node.memoryMiB() / 4)) / slots);
        long storage = settings.slotStorageMib() > 0 ? settings.slotStorageMib() : node.storageMiB() / slots;
        int gpus = node.gpuCount() / slots;
        var labels = new TreeMap<String, String>(node.labels());
        labels.putAll(settings.labels());
        var slot = new Resources(cpu, memory, gpus, gpus == 0 ? null : node.gpuModel(), storage, node.arch(),
                labels.isEmpty() ? null : labels);
        long stake = Math.max(settings.stake(), minStakePerSlot * slots);
        return new OfferSpec(settings.offerId(), slot, slots, settings.unitPrice(), stake);
    }

    /** Whether the ledger's offer already says what {@code wanted} says (then no UpdateOffer is needed). */
    public static boolean matches(Offer offer, OfferSpec wanted) {
        return offer.slots() == wanted.slots() && offer.unitPrice() == wanted.unitPrice()
                && offer.stake() == wanted.stake() && sameResources(offer.slot(), wanted.slot());
    }

    private static boolean sameResources(Resources a, Resources b) {
        return a.cpuMillis() == b.cpuMillis() && a.memoryMiB() == b.memoryMiB() && a.gpuCount() == b.gpuCount()
                && a.storageMiB() == b.storageMiB() && Objects.equals(a.arch(), b.arch())
                && Objects.equals(blankIsNull(a.gpuModel()), blankIsNull(b.gpuModel()))
                && Objects.equals(a.labels() == null ? java.util.Map.of() : a.labels(),
                b.labels() == null ? java.util.Map.of() : b.labels());
    }

    private static String blankIsNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
