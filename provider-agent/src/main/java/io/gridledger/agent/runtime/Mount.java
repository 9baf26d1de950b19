package io.gridledger.agent.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host folder bound into the container: inputs read-only, scratch and outputs writable (the root file system
 * itself is read-only).
 */
public record Mount(Path hostPath, String containerPath, boolean readOnly) {

    public Mount {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(containerPath, "containerPath");
        if (!hostPath.isAbsolute()) {
            throw new IllegalArgumentException("mount source must be absolute: " + hostPath);
        }
        if (!containerPath.startsWith("/") || containerPath.contains(":") || containerPath.contains("..")) {
            throw new IllegalArgumentException("mount target must be an absolute path without ':' or '..': "
                    + containerPath);
        }
    }

    public static Mount readOnly(Path hostPath, String containerPath) {
        return new Mount(hostPath, containerPath, true);
    }

    public static Mount writable(Path hostPath, String containerPath) {
        return new Mount(hostPath, containerPath, false);
    }
}
