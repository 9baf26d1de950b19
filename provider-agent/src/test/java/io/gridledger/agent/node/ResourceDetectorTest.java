package io.gridledger.agent.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceDetectorTest {

    @TempDir
    Path dir;

    /**
     * A stand-in for nvidia-smi, the one thing these machines lack: it prints what the real one prints for the query
     * (checked to be the query the detector sends).
     */
    private Path fakeNvidiaSmi(String output, int exit) throws Exception {
        Path script = dir.resolve("bin/nvidia-smi");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\n"
                + "[ \"$*\" = \"" + String.join(" ", NvidiaSmi.QUERY) + "\" ] || { echo \"unexpected: $*\"; exit 2; }\n"
                + "cat <<'EOF'\n" + output + "EOF\nexit " + exit + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void detects_this_nodes_cores_memory_scratch_space_and_architecture() throws Exception {
        NodeResources resources = new ResourceDetector(NvidiaSmi::detect).detect(dir.resolve("scratch"),
                Map.of("zone", "test"));

        long memTotalKiB = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
        var uname = new ProcessBuilder("uname", "-m").start();
        String machine = new String(uname.getInputStream().readAllBytes()).trim();

        assertThat(resources.cpuMillis()).isEqualTo(Runtime.getRuntime().availableProcessors() * 1000L);
        assertThat(resources.memoryMiB()).isEqualTo(memTotalKiB / 1024);
        assertThat(resources.storageMiB()).isPositive()
                .isLessThanOrEqualTo(Files.getFileStore(dir).getTotalSpace() / (1024 * 1024));
        assertThat(resources.arch()).isEqualTo(ResourceDetector.arch(machine));
        assertThat(resources.labels()).containsEntry("zone", "test");
        if (NvidiaSmi.onPath(System.getenv("PATH")).isEmpty()) {
            assertThat(resources.gpuCount()).isZero();
            assertThat(resources.gpuModel()).isEmpty();
            assertThat(NvidiaSmi.detect().describe()).isEqualTo("no nvidia-smi on PATH");
        } else {
            System.out.println("nvidia-smi on this node: " + NvidiaSmi.detect().describe());
        }
    }

    @Test
    void gpus_come_from_nvidia_smi_and_a_mixed_node_offers_its_most_numerous_model() throws Exception {
        Path smi = fakeNvidiaSmi("""
                0, NVIDIA A100-SXM4-40GB, 40960, GPU-aaaa, 535.104.05
                1, Tesla T4, 15360, GPU-bbbb, 535.104.05
                2, NVIDIA A100-SXM4-40GB, 40536, GPU-cccc, 535.104.05
                """, 0);

        NvidiaSmi inventory = NvidiaSmi.query(smi);
        assertThat(inventory.gpus()).extracting(Gpu::model)
                .containsExactly("nvidia-a100-sxm4-40gb", "nvidia-tesla-t4", "nvidia-a100-sxm4-40gb");
        assertThat(inventory.count()).isEqualTo(3);
        assertThat(inventory.describe()).isEqualTo("2 x nvidia-a100-sxm4-40gb, 1 x nvidia-tesla-t4");

        NodeResources resources = new ResourceDetector(() -> inventory).detect(dir.resolve("scratch"), Map.of());
        assertThat(resources.gpuCount()).isEqualTo(2);
        assertThat(resources.gpuModel()).isEqualTo("nvidia-a100-sxm4-40gb");
        assertThat(resources.labels()).containsEntry("gpu.driver", "535.104.05")
                .containsEntry("gpu.memoryMiB", "40536").containsEntry("gpu.mixed", "true");
    }

    @Test
    void an_nvidia_smi_without_a_driver_means_no_gpus_and_says_why() throws Exception {
        Path smi = fakeNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", 9);

        NvidiaSmi inventory = NvidiaSmi.query(smi);
        assertThat(inventory.count()).isZero();
        assertThat(inventory.describe()).contains("failed (exit 9)").contains("couldn't communicate");
        assertThat(new ResourceDetector(() -> inventory).detect(dir.resolve("scratch"), Map.of()).gpuCount()).isZero();
    }

    @Test
    void architectures_use_the_contracts_names() {
        assertThat(ResourceDetector.arch("x86_64")).isEqualTo("amd64");
        assertThat(ResourceDetector.arch("amd64")).isEqualTo("amd64");
        assertThat(ResourceDetector.arch("aarch64")).isEqualTo("arm64");
    }

    @Test
    void resources_follow_the_contracts_rules() {
        assertThatThrownBy(() -> new NodeResources(1000, 1024, 1, "", 10, "amd64", Map.of()))
                .hasMessageContaining("gpuModel");
        assertThatThrownBy(() -> new NodeResources(1000, 1024, 0, "", 10, "AMD64", Map.of()))
                .hasMessageContaining("arch");
        assertThatThrownBy(() -> new NodeResources(1000, 1024, 0, "", 10, "amd64", Map.of("bad key!", "v")))
                .hasMessageContaining("invalid label");
        assertThat(new NodeResources(1000, 1024, 0, "", 10, "amd64", Map.of("b", "2", "a", "1")).labels().keySet())
                .containsExactly("a", "b");
    }
}
