package io.gridledger.agent.journal;

import io.gridledger.agent.JobKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What the journal knows of one job on this node: its phase and what a restarted agent needs to resume it (the
 * container, the digest, the salt). Built by folding the job's steps in order with {@link #after(JobStep)}.
 */
public record JobState(JobKey key, Phase phase, long lastSeq, long updatedEpochMillis, String offerId,
                       long deadlineEpochMillis, String containerId, JobStep.Finished finished, String digest,
                       String commitment, String salt, String commitTx, String revealTx, String failure) {

    /** The phases in the order a job passes them; {@code FAILED} can follow any phase but the terminal ones. */
    public enum Phase {
        ACCEPTED, INPUTS_FETCHED, CONTAINER_CREATED, RUNNING, FINISHED, UPLOADED, COMMIT_PREPARED, COMMITTED,
        REVEALED, FAILED;

        public boolean terminal() {
            return this == REVEALED || this == FAILED;
        }
    }

    public JobState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(phase, "phase");
    }

    /** The state a job starts in: only {@link JobStep.Accepted} can begin one. */
    public static JobState begin(JobKey key, JobStep step, long seq, long atEpochMillis) {
        if (!(step instanceof JobStep.Accepted accepted)) {
            throw new IllegalTransitionException(key, null, step);
        }
        return new JobState(key, Phase.ACCEPTED, seq, atEpochMillis, accepted.offerId(),
                accepted.deadlineEpochMillis(), null, null, null, null, null, null, null, null);
    }

    /** The state after {@code step}, or {@link IllegalTransitionException} when the step cannot follow this phase. */
    public JobState after(JobStep step, long seq, long atEpochMillis) {
        Objects.requireNonNull(step, "step");
        if (phase.terminal()) {
            throw new IllegalTransitionException(key, phase, step);
        }
        // Java 17: no pattern matching in switch yet, so one instanceof per step type.
        if (step instanceof JobStep.InputsFetched) {
            return require(phase == Phase.ACCEPTED, step).to(Phase.INPUTS_FETCHED, seq, atEpochMillis);
        }
        if (step instanceof JobStep.ContainerCreated created) {
            // A second create replaces a container that was removed after a crash between create and start.
            return require(phase == Phase.INPUTS_FETCHED || phase == Phase.CONTAINER_CREATED, step)
                    .with(created.containerId(), finished, digest, commitment, salt, commitTx)
                    .to(Phase.CONTAINER_CREATED, seq, atEpochMillis);
        }
        if (step instanceof JobStep.ContainerStarted started) {
            return require(phase == Phase.CONTAINER_CREATED && started.containerId().equals(containerId), step)
                    .to(Phase.RUNNING, seq, atEpochMillis);
        }
        if (step instanceof JobStep.Finished done) {
            return require(phase == Phase.RUNNING, step)
                    .with(containerId, done, digest, commitment, salt, commitTx).to(Phase.FINISHED, seq, atEpochMillis);
        }
        if (step instanceof JobStep.OutputsUploaded uploaded) {
            return require(phase == Phase.FINISHED, step)
                    .with(containerId, finished, uploaded.digest(), commitment, salt, commitTx)
                    .to(Phase.UPLOADED, seq, atEpochMillis);
        }
        if (step instanceof JobStep.CommitPrepared prepared) {
            return require(phase == Phase.UPLOADED, step)
                    .with(containerId, finished, digest, prepared.commitment(), prepared.salt(), commitTx)
                    .to(Phase.COMMIT_PREPARED, seq, atEpochMillis);
        }
        if (step instanceof JobStep.Committed committed) {
            return require(phase == Phase.COMMIT_PREPARED, step)
                    .with(containerId, finished, digest, commitment, salt, committed.txId())
                    .to(Phase.COMMITTED, seq, atEpochMillis);
        }
        if (step instanceof JobStep.Revealed revealed) {
            require(phase == Phase.COMMITTED, step);
            return new JobState(key, Phase.REVEALED, seq, atEpochMillis, offerId, deadlineEpochMillis, containerId,
                    finished, digest, commitment, salt, commitTx, revealed.txId(), failure);
        }
        if (step instanceof JobStep.Failed failed) {
            return new JobState(key, Phase.FAILED, seq, atEpochMillis, offerId, deadlineEpochMillis, containerId,
                    finished, digest, commitment, salt, commitTx, revealTx, failed.reason());
        }
        throw new IllegalTransitionException(key, phase, step); // Accepted: a job begins only once
    }

    public Optional<String> container() {
        return Optional.ofNullable(containerId);
    }

    public Optional<String> saltHex() {
        return Optional.ofNullable(salt);
    }

    private JobState require(boolean allowed, JobStep step) {
        if (!allowed) {
            throw new IllegalTransitionException(key, phase, step);
        }
        return this;
    }

    private JobState with(String containerId, JobStep.Finished finished, String digest, String commitment,
                          String salt, String commitTx) {
        return new JobState(key, phase, lastSeq, updatedEpochMillis, offerId, deadlineEpochMillis, containerId,
                finished, digest, commitment, salt, commitTx, revealTx, failure);
    }

    private JobState to(Phase next, long seq, long atEpochMillis) {
        return new JobState(key, next, seq, atEpochMillis, offerId, deadlineEpochMillis, containerId, finished,
                digest, commitment, salt, commitTx, revealTx, failure);
    }
}
