package io.gridledger.agent.runtime;

/**
 * A container operation the engine refused or could not do. Subtypes name the cases a caller handles differently.
 */
public class ContainerRuntimeException extends Exception {

    private static final long serialVersionUID = 1L;

    public ContainerRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The pinned image is not on this node. Nothing is pulled: no registry is reachable, and a pull would hang. */
    public static final class ImageNotFound extends ContainerRuntimeException {
        private static final long serialVersionUID = 1L;
        private final ImageRef image;

        public ImageNotFound(ImageRef image, String engine) {
            super("image " + image + " is not on this node's engine (" + engine + "); images are never pulled: "
                    + "build or load it on the node first", null);
            this.image = image;
        }

        public ImageRef image() {
            return image;
        }
    }

    /** The job asks for GPUs the node does not have (or has no NVIDIA tooling for). */
    public static final class GpuUnavailable extends ContainerRuntimeException {
        private static final long serialVersionUID = 1L;

        public GpuUnavailable(String message) {
            super(message, null);
        }
    }

    /** A container for this job, replica and attempt already exists: running it twice is refused. */
    public static final class AlreadyExists extends ContainerRuntimeException {
        private static final long serialVersionUID = 1L;
        private final String name;

        public AlreadyExists(String name, Throwable cause) {
            super("a container named " + name + " already exists: this job attempt was already created on this node",
                    cause);
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    /** The engine is unreachable or failed in a way the job had no part in. */
    public static final class EngineFailure extends ContainerRuntimeException {
        private static final long serialVersionUID = 1L;

        public EngineFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
