package io.gridledger.agent.status;

/**
 * Why a replica attempt ended without a result: AGENT-STATUS.md's reasons, and two the agent adds for outputs it
 * refuses to hand in ({@code OUTPUT_TOO_LARGE}: more files or bytes than allowed; {@code OUTPUT_REJECTED}: a file
 * that cannot be digested, such as a symlink out of the folder), and one for its own defects ({@code AGENT_DEFECT}:
 * an exception no step expected; the agent's log has its stack trace), which consumers show as they are.
 */
public enum FailureReason {
    IMAGE_MISSING, INPUT_MISSING, INPUT_DIGEST_MISMATCH, TIMEOUT, OOM, NON_ZERO_EXIT, ENGINE_ERROR, UPLOAD_FAILED,
    COMMIT_FAILED, REVEAL_FAILED, DEADLINE_PASSED, CANCELLED, AGENT_RESTARTED, OUTPUT_TOO_LARGE, OUTPUT_REJECTED,
    AGENT_DEFECT
}
