package io.gridledger.chaincode.domain;

import static io.gridledger.chaincode.domain.Rejection.requirePresent;
import static io.gridledger.chaincode.domain.Rejection.requireRange;

/**
 * Weights that turn a bundle of resources into <em>resource units</em> (RU), the quantity prices refer to.
 *
 * <p>An offer's price is in credits per RU-second; what a job pays on an offer is
 * {@code price × RU(job's resources) × runtime}. Because RU(job) is the same on every offer, offers of one
 * resource class can be ranked by price alone — which lets the matcher read a price-ordered index instead
 * of every offer. Weights are in micro-RU (µRU) per unit so all arithmetic is exact integers.
 *
 * @param microPerMillicore µRU per CPU millicore (default 1,000: one core = 1 RU)
 * @param microPerMemoryMiB µRU per MiB of memory (default 244: one GiB ≈ 0.25 RU)
 * @param microPerGpu       µRU per GPU (default 10,000,000: one GPU = 10 RU)
 * @param microPerStorageMiB µRU per MiB of scratch storage (default 1)
 */
public record ResourceUnits(long microPerMillicore, long microPerMemoryMiB, long microPerGpu, long microPerStorageMiB) {

    public static final ResourceUnits DEFAULT = new ResourceUnits(1_000, 244, 10_000_000, 1);

    public static final long MICRO = 1_000_000L;

    public ResourceUnits {
        requireRange("units.microPerMillicore", microPerMillicore, 0, 1_000_000);
        requireRange("units.microPerMemoryMiB", microPerMemoryMiB, 0, 1_000_000);
        requireRange("units.microPerGpu", microPerGpu, 0, 1_000_000_000);
        requireRange("units.microPerStorageMiB", microPerStorageMiB, 0, 1_000_000);
    }

    /** µRU of a bundle of resources. Bounded inputs keep this far from overflow. */
    public long microUnits(Resources resources) {
        requirePresent("resources", resources);
        return resources.cpuMillis() * microPerMillicore
                + resources.memoryMiB() * microPerMemoryMiB
                + resources.gpuCount() * microPerGpu
                + resources.storageMiB() * microPerStorageMiB;
    }
}
