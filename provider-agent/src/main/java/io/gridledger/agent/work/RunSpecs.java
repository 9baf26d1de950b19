package io.gridledger.agent.work;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.config.AgentSettings;
import io.gridledger.agent.runtime.ContainerRuntime;
import io.gridledger.agent.runtime.ContainerRuntimeException;
import io.gridledger.agent.runtime.ImageRef;
import io.gridledger.agent.runtime.Limits;
import io.gridledger.agent.runtime.Mount;
import io.gridledger.agent.runtime.RunSpec;
import io.gridledger.ledger.JobSpec;

import java.time.Duration;
import java.util.Optional;

/**
 * A job's spec on the ledger as a container run: the image pinned by digest, its command and environment, the job's
 * resources as limits, its timeout, inputs read-only at {@code /input}, writable {@code /output} and {@code /scratch},
 * and the network only when the job requires the {@code network=allowed} label and this node offers it.
 */
final class RunSpecs {

    private RunSpecs() {
    }

    /**
     * The image a job names ({@code name@sha256:<digest>}) as this node holds it: by that repository digest, or, for
     * an image built or loaded here that no registry ever saw (no repository digest), by its image id
     * {@code sha256:<digest>}. Either is content-addressed; a tag never is.
     */
    static Optional<ImageRef> resolveImage(ContainerRuntime runtime, String image) throws ContainerRuntimeException {
        ImageRef named = ImageRef.parse(image);
        if (runtime.hasImage(named)) {
            return Optional.of(named);
        }
        ImageRef byId = ImageRef.parse(named.digest());
        return runtime.hasImage(byId) ? Optional.of(byId) : Optional.empty();
    }

    static RunSpec of(JobKey key, JobSpec spec, ImageRef image, Workspace workspace, AgentSettings settings) {
        var resources = spec.resources();
        var builder = RunSpec.builder(key, image)
                .limits(Limits.of(Math.max(10, resources.cpuMillis()), Math.max(8, resources.memoryMiB()),
                        settings.pidsLimit()))
                .mount(Mount.readOnly(workspace.input().toAbsolutePath(), "/input"))
                .mount(Mount.writable(workspace.output().toAbsolutePath(), "/output"))
                .mount(Mount.writable(workspace.scratch().toAbsolutePath(), "/scratch"))
                .timeout(Duration.ofSeconds(Math.max(1, spec.timeoutSeconds())))
                .logCapBytes(settings.logCapBytes())
                .gpus(resources.gpuCount())
                .network(networkAllowed(spec, settings));
        if (spec.command() != null && !spec.command().isEmpty()) {
            builder.command(spec.command());
        }
        if (spec.env() != null) {
            spec.env().forEach(builder::env);
        }
        return builder.build();
    }

    static boolean networkAllowed(JobSpec spec, AgentSettings settings) {
        var labels = spec.resources().labels();
        return settings.offersNetwork() && labels != null
                && AgentSettings.NETWORK_ALLOWED.equals(labels.get(AgentSettings.NETWORK_LABEL));
    }
}
