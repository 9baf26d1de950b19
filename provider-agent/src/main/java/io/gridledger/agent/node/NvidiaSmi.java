package io.gridledger.agent.node;

import io.gridledger.agent.runtime.GpuInventory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The node's NVIDIA GPUs, from {@code nvidia-smi --query-gpu=index,name,memory.total,uuid,driver_version
 * --format=csv,noheader,nounits}. No nvidia-smi, or one that fails (no driver loaded), means no GPUs, and
 * {@link #describe()} says which, so a refused GPU job says why.
 */
public final class NvidiaSmi implements GpuInventory {

    static final List<String> QUERY = List.of("--query-gpu=index,name,memory.total,uuid,driver_version",
            "--format=csv,noheader,nounits");

    private final List<Gpu> gpus;
    private final String description;

    private NvidiaSmi(List<Gpu> gpus, String description) {
        this.gpus = List.copyOf(gpus);
        this.description = description;
    }

    /** Queries the {@code nvidia-smi} found on PATH, if any. */
    public static NvidiaSmi detect() {
        return onPath(System.getenv().getOrDefault("PATH", ""))
                .map(NvidiaSmi::query)
                .orElseGet(() -> new NvidiaSmi(List.of(), "no nvidia-smi on PATH"));
    }

    /** Queries the {@code nvidia-smi} at {@code executable}. */
    public static NvidiaSmi query(Path executable) {
        Objects.requireNonNull(executable, "executable");
        var command = new ArrayList<String>();
        command.add(executable.toString());
        command.addAll(QUERY);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readNBytes(1 << 20);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new NvidiaSmi(List.of(), executable + " did not answer in 10 s");
            }
            String text = new String(output, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                return new NvidiaSmi(List.of(), executable + " failed (exit " + process.exitValue() + "): "
                        + firstLine(text));
            }
            List<Gpu> gpus = parse(text);
            return new NvidiaSmi(gpus, gpus.isEmpty() ? executable + " lists no GPU" : summary(gpus));
        } catch (IOException e) {
            return new NvidiaSmi(List.of(), "cannot run " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NvidiaSmi(List.of(), "interrupted while running " + executable);
        }
    }

    /** Lines such as {@code 0, NVIDIA A100-SXM4-40GB, 40960, GPU-4f1…, 535.104.05}. */
    static List<Gpu> parse(String csv) {
        var gpus = new ArrayList<Gpu>();
        for (String line : csv.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length < 5) {
                throw new IllegalArgumentException("unexpected nvidia-smi line: " + line);
            }
            // A name holding commas: the first field is the index, the last three are memory, uuid and driver.
            int n = fields.length;
            String name = String.join(",", List.of(fields).subList(1, n - 3)).trim();
            gpus.add(new Gpu(Integer.parseInt(fields[0].trim()), name, parseMiB(fields[n - 3].trim()),
                    fields[n - 2].trim(), fields[n - 1].trim()));
        }
        return gpus;
    }

    private static long parseMiB(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0; // "[N/A]" on some boards
        }
    }

    public List<Gpu> gpus() {
        return gpus;
    }

    @Override
    public int count() {
        return gpus.size();
    }

    @Override
    public String describe() {
        return description;
    }

    private static String summary(List<Gpu> gpus) {
        var byModel = new java.util.TreeMap<String, Integer>();
        gpus.forEach(gpu -> byModel.merge(gpu.model(), 1, Integer::sum));
        var parts = new ArrayList<String>();
        byModel.forEach((model, count) -> parts.add(count + " x " + model));
        return String.join(", ", parts);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    static Optional<Path> onPath(String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "nvidia-smi");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
