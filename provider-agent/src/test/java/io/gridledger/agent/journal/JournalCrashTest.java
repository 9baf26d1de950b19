package io.gridledger.agent.journal;

import io.gridledger.agent.JobKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real kill -9 of a JVM appending to the journal, three times over the same file: every append that returned before
 * the kill is replayed, at most the one in flight is added, nothing half-written is replayed, and the journal goes on
 * from there.
 */
class JournalCrashTest {

    @TempDir
    Path dir;

    @Test
    void every_acknowledged_step_survives_kill_minus_9_and_no_torn_record_is_replayed() throws Exception {
        Path file = dir.resolve("journal.log");
        List<JournalScript.Entry> script = JournalScript.first(20_000);
        long previous = 0;
        for (int round = 1; round <= 3; round++) {
            long target = previous + 100 + ThreadLocalRandom.current().nextInt(100);
            long acknowledged = killWriterAfter(file, target);
            assertThat(acknowledged).as("round %d: the writer made progress", round).isGreaterThanOrEqualTo(target);

            try (var journal = Journal.open(file)) {
                long replayed = journal.recovery().records();
                assertThat(replayed).as("round %d: acknowledged records are all replayed", round)
                        .isBetween(acknowledged, acknowledged + 1);
                assertThat(journal.states()).as("round %d: states are those of the first %d steps", round, replayed)
                        .containsExactlyElementsOf(expectedStates(script, (int) replayed, journal));
                byte[] bytes = Files.readAllBytes(file);
                assertThat(bytes[bytes.length - 1]).as("round %d: the file ends with a whole record", round)
                        .isEqualTo((byte) '\n');
                assertThat(count(bytes, (byte) '\n')).as("round %d: one line per replayed record", round)
                        .isEqualTo(replayed);
                System.out.printf("JournalCrashTest round %d: %d acknowledged, %d replayed, torn tail of %d bytes cut%n",
                        round, acknowledged, replayed, journal.recovery().truncatedBytes());
                previous = replayed;
            }
        }
    }

    private long killWriterAfter(Path file, long target) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingJournalWriter.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long acknowledged = 0;
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < target && (line = out.readLine()) != null) {
                acknowledged = Long.parseLong(line.substring("durable ".length()));
            }
            process.toHandle().destroyForcibly(); // SIGKILL (streams stay open): no shutdown hook, no close, possibly inside a write
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // The writer ran on while the kill was on its way: what it printed before dying was acknowledged too.
            while ((line = out.readLine()) != null) {
                if (line.startsWith("durable ")) {
                    acknowledged = Long.parseLong(line.substring("durable ".length()));
                }
            }
        }
        return acknowledged;
    }

    /** The states of folding the first {@code count} steps, with the times the journal recorded for them. */
    private static List<JobState> expectedStates(List<JournalScript.Entry> script, int count, Journal journal) {
        Map<JobKey, JobState> states = new LinkedHashMap<>();
        Map<JobKey, Long> times = new LinkedHashMap<>();
        journal.states().forEach(state -> times.put(state.key(), state.updatedEpochMillis()));
        for (int n = 0; n < count; n++) {
            var entry = script.get(n);
            // Times are the writer's clock: compare everything else, taking the final time from the journal.
            JobState current = states.get(entry.key());
            states.put(entry.key(), current == null ? JobState.begin(entry.key(), entry.step(), n + 1, 0)
                    : current.after(entry.step(), n + 1, 0));
        }
        return states.values().stream().map(state -> new JobState(state.key(), state.phase(), state.lastSeq(),
                times.getOrDefault(state.key(), -1L), state.offerId(), state.deadlineEpochMillis(), state.containerId(),
                state.finished(), state.digest(), state.commitment(), state.salt(), state.commitTx(), state.revealTx(),
                state.failure())).toList();
    }

    private static long count(byte[] bytes, byte value) {
        long count = 0;
        for (byte b : bytes) {
            if (b == value) {
                count++;
            }
        }
        return count;
    }
}
