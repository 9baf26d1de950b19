package io.gridledger.agent.node;

import java.util.Locale;
import java.util.Objects;

/** One GPU as {@code nvidia-smi} lists it. */
public record Gpu(int index, String name, long memoryMiB, String uuid, String driverVersion) {

    public Gpu {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(driverVersion, "driverVersion");
    }

    /**
     * The model as the contract's {@code gpuModel} token: lowercase, runs of other characters as '-', prefixed
     * {@code nvidia-}: "NVIDIA A100-SXM4-40GB" → {@code nvidia-a100-sxm4-40gb}, "Tesla T4" → {@code nvidia-tesla-t4}.
     */
    public String model() {
        String token = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        if (!token.startsWith("nvidia")) {
            token = "nvidia-" + token;
        }
        return token.length() > 64 ? token.substring(0, 64) : token;
    }
}
