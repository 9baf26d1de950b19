package io.gridledger.agent.journal;

import io.gridledger.agent.JobKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic stream of valid journal steps, the same in the crashing child and in the test that checks what
 * survived: four jobs in flight at a time, each going through every step from accepted to revealed (every fifth
 * fails after finishing instead), some records tens of KiB long so that a kill can land inside a write.
 */
final class JournalScript {

    record Entry(JobKey key, JobStep step) {
    }

    private static final String LONG_REASON = "upload refused: " + "x".repeat(30_000);
    private static final String LONG_MANIFEST = "manifest/" + "m".repeat(40_000);

    private JournalScript() {
    }

    /** Entries 1..count (entry n is journalled with sequence number n). */
    static List<Entry> first(int count) {
        var entries = new ArrayList<Entry>(count);
        int[] progress = new int[4];
        int[] generation = new int[4];
        int n = 0;
        while (entries.size() < count) {
            int slot = n++ % 4;
            int job = generation[slot] * 4 + slot;
            var key = new JobKey("job-" + job, job % 3, job % 2);
            boolean fails = job % 5 == 4;
            JobStep step = step(job, progress[slot], fails);
            entries.add(new Entry(key, step));
            progress[slot]++;
            if (step instanceof JobStep.Revealed || step instanceof JobStep.Failed) {
                progress[slot] = 0;
                generation[slot]++;
            }
        }
        return entries;
    }

    private static JobStep step(int job, int index, boolean fails) {
        String container = String.format("%064x", job);
        return switch (index) {
            case 0 -> new JobStep.Accepted("offer-" + job, 1_700_000_000_000L + job);
            case 1 -> new JobStep.InputsFetched(job % 7, job * 1024L);
            case 2 -> new JobStep.ContainerCreated(container);
            case 3 -> new JobStep.ContainerStarted(container);
            case 4 -> new JobStep.Finished("exited", job % 3, 100L + job);
            case 5 -> fails ? new JobStep.Failed(LONG_REASON)
                    : new JobStep.OutputsUploaded(String.format("%064x", job * 31L),
                    job % 2 == 0 ? LONG_MANIFEST : "manifest/short");
            case 6 -> new JobStep.CommitPrepared(String.format("%064x", job * 17L), String.format("%064x", job * 13L));
            case 7 -> new JobStep.Committed("tx-commit-" + job);
            case 8 -> new JobStep.Revealed("tx-reveal-" + job);
            default -> throw new IllegalStateException("no step " + index);
        };
    }
}
