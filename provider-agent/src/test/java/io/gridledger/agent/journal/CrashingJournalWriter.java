package io.gridledger.agent.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * Child process for {@link JournalCrashTest}: opens the journal in {@code args[0]}, continues {@link JournalScript}
 * from the record after the last one replayed, and prints {@code durable <seq>} after each append returns, until it is
 * killed.
 */
public final class CrashingJournalWriter {

    private CrashingJournalWriter() {
    }

    public static void main(String[] args) throws Exception {
        List<JournalScript.Entry> script = JournalScript.first(20_000);
        try (var journal = Journal.open(Path.of(args[0]))) {
            for (int n = (int) journal.recovery().records(); n < script.size(); n++) {
                var entry = script.get(n);
                long seq = journal.append(entry.key(), entry.step());
                System.out.println("durable " + seq);
                System.out.flush();
            }
        }
    }
}
