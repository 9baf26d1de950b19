package io.gridledger.agent.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The journal holds a bad record followed by good ones: not a torn tail (which a crash leaves and opening
 * truncates) but damage to acknowledged records. The agent refuses to start rather than forget steps it took.
 */
public final class JournalCorruptedException extends IOException {

    private static final long serialVersionUID = 1L;

    public JournalCorruptedException(Path file, long offset, String why) {
        super("journal " + file + " is corrupted at byte " + offset + " (" + why + ") with valid records after it; "
                + "it is not a torn tail: restore it or move it aside after checking the jobs it names");
    }
}
