package io.gridledger.agent.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Detects what this node can offer: cores, memory, free scratch space, architecture and GPUs, as
 * {@link NodeResources}.
 *
 * <ul>
 *   <li>cores: the processors this JVM may run on ({@code Runtime.availableProcessors}, which follows CPU affinity and
 *       a container's CPU limit if the agent itself runs in one), × 1000 millicores;</li>
 *   <li>memory: {@code MemTotal} of {@code /proc/meminfo} (the node's, whatever the agent's own limit), else what the
 *       JVM sees;</li>
 *   <li>storage: the usable space of the file system holding the scratch folder;</li>
 *   <li>GPUs: {@link NvidiaSmi}; on a node with several models the offer names the most numerous (ties: the one
 *       with the lowest index) and counts only those; label {@code gpu.mixed=true} says so;</li>
 *   <li>labels: {@code gpu.driver} and {@code gpu.memoryMiB} (the smallest of the offered GPUs) when there are GPUs,
 *       then the operator's labels, which win.</li>
 * </ul>
 *
 * <pre>{@code
 * NodeResources resources = new ResourceDetector(NvidiaSmi::detect).detect(scratch, Map.of("zone", "eu-west"));
 * }</pre>
 */
public final class ResourceDetector {

    private final Supplier<NvidiaSmi> gpus;
    private final Path meminfo;

    public ResourceDetector(Supplier<NvidiaSmi> gpus) {
        this(gpus, Path.of("/proc/meminfo"));
    }

    ResourceDetector(Supplier<NvidiaSmi> gpus, Path meminfo) {
        this.gpus = Objects.requireNonNull(gpus, "gpus");
        this.meminfo = Objects.requireNonNull(meminfo, "meminfo");
    }

    public NodeResources detect(Path scratch, Map<String, String> operatorLabels) throws IOException {
        Objects.requireNonNull(scratch, "scratch");
        Objects.requireNonNull(operatorLabels, "operatorLabels");
        long cpuMillis = Runtime.getRuntime().availableProcessors() * 1000L;
        long memoryMiB = memoryBytes() / (1024 * 1024);
        Files.createDirectories(scratch);
        long storageMiB = Files.getFileStore(scratch).getUsableSpace() / (1024 * 1024);

        var labels = new TreeMap<String, String>();
        List<Gpu> all = gpus.get().gpus();
        String model = "";
        int count = 0;
        if (!all.isEmpty()) {
            var byModel = new TreeMap<String, Integer>();
            all.forEach(gpu -> byModel.merge(gpu.model(), 1, Integer::sum));
            int most = byModel.values().stream().max(Integer::compare).orElse(0);
            model = all.stream().map(Gpu::model).filter(m -> byModel.get(m) == most).findFirst().orElseThrow();
            String chosen = model;
            List<Gpu> offered = all.stream().filter(gpu -> gpu.model().equals(chosen)).toList();
            count = offered.size();
            labels.put("gpu.driver", offered.get(0).driverVersion());
            labels.put("gpu.memoryMiB", Long.toString(offered.stream().mapToLong(Gpu::memoryMiB).min().orElse(0)));
            if (byModel.size() > 1) {
                labels.put("gpu.mixed", "true");
            }
        }
        labels.putAll(operatorLabels);
        return new NodeResources(cpuMillis, memoryMiB, count, model, storageMiB, arch(System.getProperty("os.arch")),
                labels);
    }

    private long memoryBytes() throws IOException {
        if (Files.isReadable(meminfo)) {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // kB
                }
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os.getTotalMemorySize();
    }

    /** The contract's architecture names (Docker's): {@code amd64}, {@code arm64}, … */
    static String arch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> arch.replaceAll("[^a-z0-9._-]", "-");
        };
    }
}
