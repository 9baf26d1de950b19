package io.gridledger.agent.runtime;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.result.ResultDigest;
import io.gridledger.agent.runtime.docker.DockerJavaRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's hardened run of a job (non-root user, read-only root file system, no network, limits: the runtime's
 * defaults) digests the same outputs as a plain run of the same locally built image by another engine client —
 * Testcontainers' {@link GenericContainer}, as root with a writable root and the engine's defaults — on the same
 * dockerd: the restrictions change where a job may write, never what a job that obeys them produces, and the
 * digest does not depend on timestamps or on who owns the files.
 */
class PlainRunDigestTest {

    /** Nested folders, an empty file, a large-ish file, a name with a space: written the same way by both runs. */
    private static final String SCRIPT = "mkdir -p /output/a/b && echo hello > /output/a/b/x.txt "
            + "&& seq 1 20000 > /output/numbers && : > /output/empty && echo two words > '/output/a/with space' "
            + "&& ls /bin > /output/a/tools";

    @Test
    void the_agents_run_digests_the_same_outputs_as_a_plain_run_of_the_image(@TempDir Path host) throws Exception {
        Path agentOutput = Files.createDirectories(host.resolve("agent"));
        Path plainOutput = Files.createDirectories(host.resolve("plain"));
        Engines.busybox("docker"); // builds the local image when dockerd lacks it

        try (DockerJavaRuntime runtime = Engines.connect("docker", GpuInventory.none("test"))) {
            var image = ImageRef.parse(Engines.busybox("docker").digest());
            var run = runtime.run(RunSpec.builder(new JobKey("plain-digest-" + System.nanoTime(), 0, 0), image)
                    .command("sh", "-c", SCRIPT).timeout(Duration.ofSeconds(30))
                    .mount(Mount.writable(agentOutput, "/output")).build());
            assertThat(run.outcome()).isEqualTo(new Outcome.Exited(0));
        }

        try (var plain = new GenericContainer<>(DockerImageName.parse(Engines.TEST_IMAGE))
                .withCommand("sh", "-c", SCRIPT)
                .withFileSystemBind(plainOutput.toString(), "/output", BindMode.READ_WRITE)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
            plain.start(); // returns once the container exited 0, fails otherwise
        }

        var agent = ResultDigest.unlimited().compute(agentOutput);
        var bare = ResultDigest.unlimited().compute(plainOutput);
        assertThat(agent.entries()).hasSize(5);
        assertThat(agent.entries()).isEqualTo(bare.entries());
        assertThat(agent.digest()).isEqualTo(bare.digest());
    }
}
