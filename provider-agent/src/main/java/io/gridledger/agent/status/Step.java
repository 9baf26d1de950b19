package io.gridledger.agent.status;

import java.util.Locale;

/** The steps of a replica attempt, in AGENT-STATUS.md's order; on the wire in lower case. */
public enum Step {
    ACCEPTED, PULLING, RUNNING, UPLOADING, COMMITTED, REVEALED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
