package io.gridledger.agent.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How a job's container ended. The contract reports the exit status; the agent reports the others as failures with
 * their reason.
 */
public sealed interface Outcome {

    /** The process exited by itself (or was killed by a signal nobody in GridLedger sent: 128 + signal). */
    record Exited(int exitCode) implements Outcome {
    }

    /**
     * The kernel killed the container for exceeding its memory limit. {@code evidence} says how that is known:
     * the engine's {@code OOMKilled} (Docker), or, for engines that report it false (Podman), the job's cgroup peak
     * having reached the limit when the process died of SIGKILL.
     */
    record OutOfMemory(long limitBytes, String evidence) implements Outcome {
        public OutOfMemory {
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    /** The wall-clock limit passed; the agent killed the container. */
    record TimedOut(Duration limit) implements Outcome {
        public TimedOut {
            Objects.requireNonNull(limit, "limit");
        }
    }

    /** The engine could not run the container (start refused, the container vanished, the engine failed). */
    record EngineError(String message) implements Outcome {
        public EngineError {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A short word for journals and status events: exited, out-of-memory, timed-out, engine-error. */
    default String kind() {
        if (this instanceof Exited) {
            return "exited";
        }
        if (this instanceof OutOfMemory) {
            return "out-of-memory";
        }
        return this instanceof TimedOut ? "timed-out" : "engine-error";
    }
}
