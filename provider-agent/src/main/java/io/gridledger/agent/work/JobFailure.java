package io.gridledger.agent.work;

import io.gridledger.agent.status.FailureReason;

/** Ends a replica attempt without a result: the reason the agent reports, and the exit code when a container ended. */
final class JobFailure extends Exception {

    private final FailureReason reason;
    private final Integer exitCode;

    JobFailure(FailureReason reason, String message) {
        this(reason, null, message, null);
    }

    JobFailure(FailureReason reason, Integer exitCode, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
        this.exitCode = exitCode;
    }

    FailureReason reason() {
        return reason;
    }

    Integer exitCode() {
        return exitCode;
    }
}
