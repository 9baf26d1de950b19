package io.gridledger.agent.runtime;

import io.gridledger.agent.JobKey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a job's container is run with. Defaults are the strict ones: no network, read-only root file system,
 * user {@code 65534:65534} (nobody), no GPU; a job relaxes them explicitly.
 *
 * <pre>{@code
 * RunSpec spec = RunSpec.builder(key, ImageRef.parse(imageId))
 *         .command("sh", "-c", "solve /input/data > /output/result")
 *         .limits(Limits.of(1000, 512, 64))
 *         .mount(Mount.readOnly(inputs, "/input"))
 *         .mount(Mount.writable(outputs, "/output"))
 *         .timeout(Duration.ofMinutes(10))
 *         .build();
 * }</pre>
 *
 * @param user        {@code uid:gid} to run as, or empty for the image's own user
 * @param logCapBytes at most this many bytes of stdout and of stderr are kept
 */
public record RunSpec(JobKey job, ImageRef image, List<String> command, Map<String, String> environment, Limits limits,
                      boolean network, Optional<String> user, List<Mount> mounts, int gpus, Duration timeout,
                      long logCapBytes) {

    public static final String NOBODY = "65534:65534";

    public RunSpec {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(image, "image");
        command = List.copyOf(command);
        environment = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(environment));
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(user, "user");
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (gpus < 0) {
            throw new IllegalArgumentException("gpus must be >= 0");
        }
        if (logCapBytes < 0) {
            throw new IllegalArgumentException("logCapBytes must be >= 0");
        }
        user.ifPresent(value -> {
            if (!value.matches("[0-9]+(:[0-9]+)?|[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?")) {
                throw new IllegalArgumentException("user must be uid[:gid] or a name, got '" + value + "'");
            }
        });
        environment.keySet().forEach(key -> {
            if (key.isEmpty() || key.contains("=")) {
                throw new IllegalArgumentException("invalid environment variable name '" + key + "'");
            }
        });
    }

    public static Builder builder(JobKey job, ImageRef image) {
        return new Builder(job, image);
    }

    /** Builds a {@link RunSpec} from the strict defaults. */
    public static final class Builder {
        private final JobKey job;
        private final ImageRef image;
        private List<String> command = List.of();
        private final Map<String, String> environment = new TreeMap<>();
        private Limits limits = Limits.of(1000, 256, 64);
        private boolean network;
        private Optional<String> user = Optional.of(NOBODY);
        private final List<Mount> mounts = new ArrayList<>();
        private int gpus;
        private Duration timeout = Duration.ofMinutes(10);
        private long logCapBytes = 1024 * 1024;

        private Builder(JobKey job, ImageRef image) {
            this.job = job;
            this.image = image;
        }

        public Builder command(String... command) {
            this.command = List.of(command);
            return this;
        }

        public Builder command(List<String> command) {
            this.command = List.copyOf(command);
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        /** Lets the container use the engine's default network (the job spec allowed it). */
        public Builder network(boolean allowed) {
            this.network = allowed;
            return this;
        }

        public Builder user(String uidGid) {
            this.user = Optional.of(uidGid);
            return this;
        }

        /** Runs as the user the image names (for images that cannot run as nobody). */
        public Builder imageUser() {
            this.user = Optional.empty();
            return this;
        }

        public Builder mount(Mount mount) {
            mounts.add(mount);
            return this;
        }

        public Builder gpus(int gpus) {
            this.gpus = gpus;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder logCapBytes(long logCapBytes) {
            this.logCapBytes = logCapBytes;
            return this;
        }

        public RunSpec build() {
            return new RunSpec(job, image, command, environment, limits, network, user, mounts, gpus, timeout,
                    logCapBytes);
        }
    }
}
