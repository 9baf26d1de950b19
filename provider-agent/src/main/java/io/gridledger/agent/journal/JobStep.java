package io.gridledger.agent.journal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Objects;

/**
 * One step of a job on this node, as the journal records it. Each is journalled (and fsynced) when it is durable:
 * before the agent acts on it elsewhere (the salt before the commit is submitted) or right after an effect that must
 * not be repeated (a container created, a transaction committed).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobStep.Accepted.class, name = "accepted"),
        @JsonSubTypes.Type(value = JobStep.InputsFetched.class, name = "inputs-fetched"),
        @JsonSubTypes.Type(value = JobStep.ContainerCreated.class, name = "container-created"),
        @JsonSubTypes.Type(value = JobStep.ContainerStarted.class, name = "container-started"),
        @JsonSubTypes.Type(value = JobStep.Finished.class, name = "finished"),
        @JsonSubTypes.Type(value = JobStep.OutputsUploaded.class, name = "outputs-uploaded"),
        @JsonSubTypes.Type(value = JobStep.CommitPrepared.class, name = "commit-prepared"),
        @JsonSubTypes.Type(value = JobStep.Committed.class, name = "committed"),
        @JsonSubTypes.Type(value = JobStep.Revealed.class, name = "revealed"),
        @JsonSubTypes.Type(value = JobStep.Failed.class, name = "failed"),
})
public sealed interface JobStep {

    /** The assignment passed the ledger checks; the agent owns it until its deadline (epoch milliseconds). */
    record Accepted(String offerId, long deadlineEpochMillis) implements JobStep {
        public Accepted {
            Objects.requireNonNull(offerId, "offerId");
        }
    }

    /** Inputs downloaded and their SHA-256 verified. */
    record InputsFetched(int count, long bytes) implements JobStep {
    }

    /** A container exists for the job (journalled right after create, before start). */
    record ContainerCreated(String containerId) implements JobStep {
        public ContainerCreated {
            Objects.requireNonNull(containerId, "containerId");
        }
    }

    record ContainerStarted(String containerId) implements JobStep {
        public ContainerStarted {
            Objects.requireNonNull(containerId, "containerId");
        }
    }

    /** The container ended: {@code outcome} is exited, out-of-memory, timed-out or engine-error. */
    record Finished(String outcome, int exitCode, long runtimeMillis) implements JobStep {
        public Finished {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** Outputs are in object storage; {@code digest} is their canonical result digest (hex). */
    record OutputsUploaded(String digest, String manifestObject) implements JobStep {
        public OutputsUploaded {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(manifestObject, "manifestObject");
        }
    }

    /**
     * The commitment and its salt, journalled <em>before</em> CommitResult is submitted: after a crash the agent
     * either finds its commitment on the ledger or submits the same one again, and can always reveal.
     */
    record CommitPrepared(String commitment, String salt) implements JobStep {
        public CommitPrepared {
            Objects.requireNonNull(commitment, "commitment");
            Objects.requireNonNull(salt, "salt");
        }
    }

    record Committed(String txId) implements JobStep {
        public Committed {
            Objects.requireNonNull(txId, "txId");
        }
    }

    record Revealed(String txId) implements JobStep {
        public Revealed {
            Objects.requireNonNull(txId, "txId");
        }
    }

    record Failed(String reason) implements JobStep {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
