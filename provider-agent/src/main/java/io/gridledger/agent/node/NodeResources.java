package io.gridledger.agent.node;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What this node offers, in the fields of the contract's {@code Resources} (chaincode
 * {@code domain/Resources.java}), checked by the same rules so an offer built from it is not refused.
 *
 * @param cpuMillis  CPU in millicores (1000 = one core)
 * @param memoryMiB  memory in MiB
 * @param gpuCount   GPUs of {@code gpuModel}
 * @param gpuModel   lowercase token such as {@code nvidia-a100-sxm4-40gb}; empty without GPUs
 * @param storageMiB free scratch storage in MiB
 * @param arch       {@code amd64}, {@code arm64}, …
 * @param labels     sorted; detected ones ({@code gpu.driver}, …) and the operator's
 */
public record NodeResources(long cpuMillis, long memoryMiB, int gpuCount, String gpuModel, long storageMiB, String arch,
                            Map<String, String> labels) {

    static final Pattern TOKEN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");

    public NodeResources {
        require(cpuMillis >= 1 && cpuMillis <= 1_024_000, "cpuMillis out of range: " + cpuMillis);
        require(memoryMiB >= 1 && memoryMiB <= 16L * 1024 * 1024, "memoryMiB out of range: " + memoryMiB);
        require(gpuCount >= 0 && gpuCount <= 64, "gpuCount out of range: " + gpuCount);
        require(storageMiB >= 0 && storageMiB <= 1024L * 1024 * 1024, "storageMiB out of range: " + storageMiB);
        Objects.requireNonNull(gpuModel, "gpuModel");
        require(gpuCount == 0 ? gpuModel.isEmpty() : TOKEN.matcher(gpuModel).matches(),
                "gpuModel must be empty without GPUs and a lowercase token with them, got '" + gpuModel + "'");
        require(arch != null && TOKEN.matcher(arch).matches(), "arch must be a lowercase token, got '" + arch + "'");
        var sorted = new TreeMap<String, String>(labels == null ? Map.of() : labels);
        require(sorted.size() <= 32, "at most 32 labels");
        sorted.forEach((key, value) -> require(LABEL_KEY.matcher(key).matches() && value != null
                && value.length() <= 128, "invalid label " + key + "=" + value));
        labels = Collections.unmodifiableSortedMap(sorted);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
