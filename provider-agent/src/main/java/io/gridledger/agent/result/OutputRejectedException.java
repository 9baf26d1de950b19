package io.gridledger.agent.result;

import java.util.Objects;

/**
 * A job's output folder holds something that has no canonical digest, or more than the job may produce. The job
 * fails with this reason rather than commit to a digest that another honest node could not reproduce.
 */
public final class OutputRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an output folder was refused. */
    public enum Reason {
        /** A symbolic link whose target lies outside the output folder. */
        SYMLINK_ESCAPES,
        /** A symbolic link whose target does not exist. */
        SYMLINK_DANGLING,
        /** A symbolic link to a directory (could loop, and object storage has no links). */
        SYMLINK_TO_DIRECTORY,
        /** A FIFO, socket or device: not a file whose bytes can be read and uploaded. */
        SPECIAL_FILE,
        /** A file name whose bytes are not valid UTF-8. */
        NAME_NOT_UTF8,
        /** Two names that are equal once NFC-normalized (they would be one file on a normalizing file system). */
        NAME_COLLISION,
        /** More files than the job's limit. */
        TOO_MANY_FILES,
        /** More bytes than the job's limit. */
        TOO_LARGE
    }

    private final Reason reason;
    private final String path;

    public OutputRejectedException(Reason reason, String path, String message) {
        super(reason + " at '" + path + "': " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.path = Objects.requireNonNull(path, "path");
    }

    public Reason reason() {
        return reason;
    }

    /** The offending path, relative to the output folder. */
    public String path() {
        return path;
    }
}
