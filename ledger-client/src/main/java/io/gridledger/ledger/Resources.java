package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * Compute resources: what one slot of an offer provides, or what one replica of a job needs.
 *
 * @param cpuMillis  CPU in millicores (1000 = one core)
 * @param memoryMiB  memory in MiB
 * @param gpuCount   number of GPUs
 * @param gpuModel   GPU model ({@code nvidia-a100}); empty or absent without GPUs
 * @param storageMiB scratch storage in MiB
 * @param arch       CPU architecture ({@code amd64}, {@code arm64})
 * @param labels     on an offer, what it offers; on a job, what it requires (all must match)
 */
@Serdeable
public record Resources(long cpuMillis, long memoryMiB, int gpuCount, @Nullable String gpuModel, long storageMiB,
                        String arch, @Nullable Map<String, String> labels) {

    /** The market segment: architecture and GPU model, {@code amd64/cpu} or {@code amd64/nvidia-a100}. */
    public String resourceClass() {
        return arch + "/" + (gpuCount == 0 ? "cpu" : gpuModel);
    }
}
