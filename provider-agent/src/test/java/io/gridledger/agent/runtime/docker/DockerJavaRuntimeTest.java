package io.gridledger.agent.runtime.docker;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.runtime.Engines;
import io.gridledger.agent.runtime.GpuInventory;
import io.gridledger.agent.runtime.ImageRef;
import io.gridledger.agent.runtime.Limits;
import io.gridledger.agent.runtime.Mount;
import io.gridledger.agent.runtime.RunSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The adapter's own rules: names, the engine request it builds, and reading OOM evidence from cgroup files. */
class DockerJavaRuntimeTest {

    @TempDir
    Path dir;

    @Test
    void container_names_are_valid_readable_and_unique_per_attempt() {
        String plain = DockerJavaRuntime.containerName(new JobKey("job-42", 1, 0));
        assertThat(plain).matches("gridledger-job-42-r1-a0-[0-9a-f]{8}");
        String odd = DockerJavaRuntime.containerName(new JobKey("Org1MSP/job é#1", 0, 0));
        assertThat(odd).matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+").startsWith("gridledger-Org1MSP_job___1-r0-a0-");
        assertThat(DockerJavaRuntime.containerName(new JobKey("Org1MSP/job ê#1", 0, 0)))
                .as("ids that sanitize alike stay apart").isNotEqualTo(odd);
        assertThat(DockerJavaRuntime.containerName(new JobKey("job-42", 1, 1))).isNotEqualTo(plain);
    }

    @Test
    void a_gpu_job_asks_the_engine_for_nvidia_devices_and_every_limit_is_mapped() throws Exception {
        var gpus = new GpuInventory() {
            @Override
            public int count() {
                return 2;
            }

            @Override
            public String describe() {
                return "2 x nvidia-test";
            }
        };
        var connected = Engines.connectIfRequiredOrAnswering("docker", gpus);
        Assumptions.assumeTrue(connected.isPresent(), "dockerd does not answer and GRIDLEDGER_ENGINES does not list it");
        try (var runtime = connected.get()) {
            RunSpec spec = RunSpec.builder(new JobKey("gpu", 0, 0), ImageRef.parse("sha256:" + "a".repeat(64)))
                    .limits(Limits.of(1500, 512, 32)).gpus(2)
                    .mount(Mount.readOnly(dir, "/input")).mount(Mount.writable(dir, "/output")).build();
            var host = runtime.hostConfig(spec, "name");

            assertThat(host.getDeviceRequests()).singleElement().satisfies(request -> {
                assertThat(request.getDriver()).isEqualTo("nvidia");
                assertThat(request.getCount()).isEqualTo(2);
                assertThat(request.getCapabilities()).isEqualTo(List.of(List.of("gpu")));
            });
            assertThat(host.getCpuQuota()).isEqualTo(150_000L);
            assertThat(host.getCpuPeriod()).isEqualTo(100_000L);
            assertThat(host.getMemory()).isEqualTo(512L * 1024 * 1024).isEqualTo(host.getMemorySwap());
            assertThat(host.getPidsLimit()).isEqualTo(32L);
            assertThat(host.getNetworkMode()).isEqualTo("none");
            assertThat(host.getReadonlyRootfs()).isTrue();
            assertThat(host.getBinds()).extracting(Object::toString)
                    .containsExactly(dir + ":/input:ro", dir + ":/output:rw");
            assertThat(host.getCgroupParent()).as("dockerd reports OOMKilled: no cgroup parent of ours").isNull();
        }
    }

    @Test
    void oom_evidence_on_cgroup_v1_is_the_parents_peak_reaching_the_limit() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("memory/gridledger/c1"));
        var cgroups = new CgroupMemory(dir);
        Files.writeString(parent.resolve("memory.max_usage_in_bytes"), "33554432\n");
        assertThat(cgroups.oomEvidence("/gridledger/c1", 33554432)).hasValueSatisfying(
                evidence -> assertThat(evidence).contains("peak memory 33554432 >= its limit 33554432"));
        Files.writeString(parent.resolve("memory.max_usage_in_bytes"), "20000000\n");
        assertThat(cgroups.oomEvidence("/gridledger/c1", 33554432)).isEmpty();
        assertThat(cgroups.oomEvidence("/gridledger/absent", 1)).isEmpty();
        assertThat(cgroups.oomEvidence(null, 1)).isEmpty();
    }

    @Test
    void oom_evidence_on_cgroup_v2_is_an_oom_kill_count() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("gridledger/c2"));
        var cgroups = new CgroupMemory(dir);
        Files.writeString(parent.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
        assertThat(cgroups.oomEvidence("/gridledger/c2", 1 << 20)).hasValueSatisfying(
                evidence -> assertThat(evidence).startsWith("oom_kill 1 in"));
        Files.writeString(parent.resolve("memory.events"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        assertThat(cgroups.oomEvidence("/gridledger/c2", 1 << 20)).isEmpty();
    }

    @Test
    void removing_a_parent_removes_it_in_every_hierarchy_and_keeps_a_busy_one_for_later() throws Exception {
        Path memory = Files.createDirectories(dir.resolve("memory/gridledger/c3/conmon"));
        Path pids = Files.createDirectories(dir.resolve("pids/gridledger/c3"));
        Files.createDirectories(dir.resolve("memory/gridledger/other"));
        Files.writeString(pids.resolve("busy"), "a file stands for a process: rmdir fails");
        var cgroups = new CgroupMemory(dir);

        cgroups.removeParent("/gridledger/c3");
        assertThat(memory.getParent()).doesNotExist();
        assertThat(pids).exists();
        assertThat(dir.resolve("memory/gridledger/other")).as("others' parents stay").exists();

        Files.delete(pids.resolve("busy"));
        assertThat(cgroups.retryPending()).isTrue();
        assertThat(pids).doesNotExist();
        cgroups.removeParent("/libpod_parent/not-ours");
    }
}
