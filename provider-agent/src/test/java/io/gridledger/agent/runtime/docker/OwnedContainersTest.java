package io.gridledger.agent.runtime.docker;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.runtime.ContainerId;
import io.gridledger.agent.runtime.Engines;
import io.gridledger.agent.runtime.GpuInventory;
import io.gridledger.agent.runtime.RunSpec;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two agents' runtimes on one dockerd, as the local consortium runs them (one agent per org): each sees and sweeps
 * only the containers it created. Before owners, an agent's start-up sweep of "orphans" killed the other agents'
 * running jobs (seen in the end-to-end suite as {@code ENGINE_ERROR: container … is gone}).
 */
class OwnedContainersTest {

    @Test
    void an_agent_sees_and_removes_only_its_own_containers_on_a_shared_engine() throws Exception {
        var socket = URI.create("unix://" + Engines.socket("docker"));
        var options = DockerJavaRuntime.Options.defaults(GpuInventory.none("test"));
        try (var org1 = DockerJavaRuntime.connect(socket, options.withOwner("Org1MSP/node1@test"));
             var org2 = DockerJavaRuntime.connect(socket, options.withOwner("Org2MSP/node1@test"))) {
            var key = new JobKey("owned-" + System.nanoTime(), 0, 1);
            ContainerId id = org1.create(RunSpec.builder(key, Engines.busybox("docker")).command("sh", "-c", "sleep 30")
                    .timeout(Duration.ofSeconds(30)).build());
            try {
                org1.start(id);

                assertThat(org2.list(Optional.empty())).as("the other agent's view").noneMatch(c -> c.job().equals(key));
                assertThat(org2.removeAll(Optional.empty())).as("containers the other agent's sweep removed")
                        .isZero();
                assertThat(org1.list(Optional.of(key))).as("the owner's view").hasSize(1);
            } finally {
                org1.removeAll(Optional.of(key));
            }
            assertThat(org1.list(Optional.of(key))).isEmpty();
        }
    }
}
