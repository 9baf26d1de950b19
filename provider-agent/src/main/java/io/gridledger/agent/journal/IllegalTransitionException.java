package io.gridledger.agent.journal;

import io.gridledger.agent.JobKey;

/** A step that cannot follow the job's current phase (a reveal before a commit, anything after the end). */
public final class IllegalTransitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public IllegalTransitionException(JobKey key, JobState.Phase phase, JobStep step) {
        super("job " + key + ": " + step.getClass().getSimpleName() + " cannot follow "
                + (phase == null ? "nothing (a job begins with Accepted)" : phase));
    }
}
