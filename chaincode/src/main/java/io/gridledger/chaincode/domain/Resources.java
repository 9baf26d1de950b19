package io.gridledger.chaincode.domain;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static io.gridledger.chaincode.domain.Rejection.require;
import static io.gridledger.chaincode.domain.Rejection.requireRange;

/**
 * A bundle of compute resources: what one slot of an offer provides, or what one replica of a job needs.
 *
 * @param cpuMillis  CPU in millicores (1000 = one core)
 * @param memoryMiB  memory in MiB
 * @param gpuCount   number of GPUs
 * @param gpuModel   GPU model (e.g. {@code nvidia-a100}); empty when {@code gpuCount} is 0
 * @param storageMiB scratch storage in MiB
 * @param arch       CPU architecture ({@code amd64}, {@code arm64}, …)
 * @param labels     free-form labels; on an offer they describe it, on a job they are required (all must match)
 */
public record Resources(long cpuMillis, long memoryMiB, int gpuCount, String gpuModel, long storageMiB, String arch,
                        Map<String, String> labels) {

    public static final long MAX_CPU_MILLIS = 1_024_000;
    public static final long MAX_MEMORY_MIB = 16L * 1024 * 1024;
    public static final int MAX_GPUS = 64;
    public static final long MAX_STORAGE_MIB = 1024L * 1024 * 1024;
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");

    public Resources {
        requireRange("cpuMillis", cpuMillis, 1, MAX_CPU_MILLIS);
        requireRange("memoryMiB", memoryMiB, 1, MAX_MEMORY_MIB);
        requireRange("gpuCount", gpuCount, 0, MAX_GPUS);
        requireRange("storageMiB", storageMiB, 0, MAX_STORAGE_MIB);
        gpuModel = gpuModel == null ? "" : gpuModel;
        if (gpuCount == 0) {
            require(gpuModel.isEmpty(), "gpuModel must be empty when gpuCount is 0");
        } else {
            require(TOKEN.matcher(gpuModel).matches(),
                    "gpuModel is required when gpuCount > 0: lowercase letters, digits, . _ - (e.g. nvidia-a100), got '"
                            + gpuModel + "'");
        }
        require(arch != null && TOKEN.matcher(arch).matches(), "arch must be a lowercase token such as amd64, got '" + arch + "'");
        var sorted = new TreeMap<String, String>();
        if (labels != null) {
            require(labels.size() <= 32, "at most 32 labels");
            labels.forEach((key, value) -> {
                require(key != null && LABEL_KEY.matcher(key).matches(), "label key '" + key + "' is not a valid label key");
                require(value != null && value.length() <= 128, "label '" + key + "' needs a value of at most 128 characters");
                sorted.put(key, value);
            });
        }
        labels = java.util.Collections.unmodifiableSortedMap(sorted);
    }

    /**
     * The market segment an offer or job belongs to: architecture and GPU model. Jobs are only matched to
     * offers of their own class, so the matcher reads one price-ordered index per class.
     */
    public String resourceClass() {
        return arch + "/" + (gpuCount == 0 ? "cpu" : gpuModel);
    }

    /** The first resource that {@code slot} lacks for these requirements, or empty when it has everything. */
    public java.util.Optional<String> shortfallOn(Resources slot) {
        if (!resourceClass().equals(slot.resourceClass())) {
            return java.util.Optional.of("class " + slot.resourceClass() + " instead of " + resourceClass());
        }
        if (slot.cpuMillis < cpuMillis) {
            return java.util.Optional.of("cpuMillis " + slot.cpuMillis + " < " + cpuMillis);
        }
        if (slot.memoryMiB < memoryMiB) {
            return java.util.Optional.of("memoryMiB " + slot.memoryMiB + " < " + memoryMiB);
        }
        if (slot.gpuCount < gpuCount) {
            return java.util.Optional.of("gpuCount " + slot.gpuCount + " < " + gpuCount);
        }
        if (slot.storageMiB < storageMiB) {
            return java.util.Optional.of("storageMiB " + slot.storageMiB + " < " + storageMiB);
        }
        for (var label : labels.entrySet()) {
            if (!label.getValue().equals(slot.labels.get(label.getKey()))) {
                return java.util.Optional.of("label " + label.getKey() + "=" + label.getValue() + " missing");
            }
        }
        return java.util.Optional.empty();
    }
}
