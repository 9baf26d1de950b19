package io.gridledger.agent.runtime;

import java.util.Objects;

/**
 * The container engine behind the socket: its kind ({@code docker} or {@code podman}), versions, and the cgroup
 * setup that decides how out-of-memory kills are recognised.
 *
 * @param reportsOomKilled whether the engine's {@code State.OOMKilled} can be trusted (Podman 4 reports false)
 */
public record EngineInfo(String kind, String version, String apiVersion, String cgroupDriver, String cgroupVersion,
                         boolean reportsOomKilled) {

    public EngineInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(cgroupDriver, "cgroupDriver");
        Objects.requireNonNull(cgroupVersion, "cgroupVersion");
    }

    @Override
    public String toString() {
        return kind + " " + version + " (API " + apiVersion + ", cgroup v" + cgroupVersion + " " + cgroupDriver + ")";
    }
}
