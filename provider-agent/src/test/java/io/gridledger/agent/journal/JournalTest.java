package io.gridledger.agent.journal;

import io.gridledger.agent.JobKey;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {

    private static final JobKey JOB = new JobKey("job-1", 0, 0);
    private static final JobKey OTHER = new JobKey("job-2", 1, 0);
    private static final String CONTAINER = "c".repeat(64);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("agent/journal.log");
    }

    private static void runToCommitPrepared(Journal journal, JobKey key) throws IOException {
        journal.append(key, new JobStep.Accepted("offer-1", 1_800_000_000_000L));
        journal.append(key, new JobStep.InputsFetched(2, 4096));
        journal.append(key, new JobStep.ContainerCreated(CONTAINER));
        journal.append(key, new JobStep.ContainerStarted(CONTAINER));
        journal.append(key, new JobStep.Finished("exited", 0, 1234));
        journal.append(key, new JobStep.OutputsUploaded("d".repeat(64), "manifests/" + "d".repeat(64)));
        journal.append(key, new JobStep.CommitPrepared("e".repeat(64), "5a".repeat(32)));
    }

    @Test
    void replays_each_jobs_latest_state_with_what_is_needed_to_resume_it() throws Exception {
        var clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (var journal = Journal.open(file(), clock)) {
            runToCommitPrepared(journal, JOB);
            journal.append(OTHER, new JobStep.Accepted("offer-2", 1_800_000_000_000L));
            journal.append(OTHER, new JobStep.Failed("inputs: sha-256 mismatch for input 'data.csv'"));
        }
        try (var journal = Journal.open(file(), clock)) {
            assertThat(journal.recovery()).isEqualTo(new Journal.Recovery(9, 0));
            JobState job = journal.state(JOB).orElseThrow();
            assertThat(job.phase()).isEqualTo(JobState.Phase.COMMIT_PREPARED);
            assertThat(job.container()).contains(CONTAINER);
            assertThat(job.saltHex()).contains("5a".repeat(32));
            assertThat(job.finished()).isEqualTo(new JobStep.Finished("exited", 0, 1234));
            assertThat(job.lastSeq()).isEqualTo(7);
            assertThat(job.updatedEpochMillis()).isEqualTo(clock.millis());
            assertThat(journal.state(OTHER).orElseThrow().failure()).contains("sha-256 mismatch");
            assertThat(journal.unfinished()).extracting(JobState::key).containsExactly(JOB);

            assertThat(journal.append(JOB, new JobStep.Committed("tx-1"))).as("sequence goes on").isEqualTo(10);
            journal.append(JOB, new JobStep.Revealed("tx-2"));
            assertThat(journal.unfinished()).isEmpty();
        }
    }

    @Test
    void refuses_steps_out_of_order_and_writes_nothing_for_them() throws Exception {
        try (var journal = Journal.open(file())) {
            assertThatThrownBy(() -> journal.append(JOB, new JobStep.Revealed("tx")))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("begins with Accepted");
            journal.append(JOB, new JobStep.Accepted("offer-1", 0));
            assertThatThrownBy(() -> journal.append(JOB, new JobStep.Committed("tx")))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("cannot follow ACCEPTED");
            assertThatThrownBy(() -> journal.append(JOB, new JobStep.Accepted("offer-1", 0)))
                    .isInstanceOf(IllegalTransitionException.class);
            journal.append(JOB, new JobStep.Failed("deadline passed"));
            assertThatThrownBy(() -> journal.append(JOB, new JobStep.InputsFetched(0, 0)))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("cannot follow FAILED");
        }
        assertThat(Files.readAllLines(file())).hasSize(2);
    }

    @Test
    void a_container_started_must_be_the_one_created() throws Exception {
        try (var journal = Journal.open(file())) {
            journal.append(JOB, new JobStep.Accepted("offer-1", 0));
            journal.append(JOB, new JobStep.InputsFetched(0, 0));
            journal.append(JOB, new JobStep.ContainerCreated(CONTAINER));
            assertThatThrownBy(() -> journal.append(JOB, new JobStep.ContainerStarted("another")))
                    .isInstanceOf(IllegalTransitionException.class);
            journal.append(JOB, new JobStep.ContainerCreated("replacement"));
            journal.append(JOB, new JobStep.ContainerStarted("replacement"));
            assertThat(journal.state(JOB).orElseThrow().phase()).isEqualTo(JobState.Phase.RUNNING);
        }
    }

    @Nested
    class AtOpen {

        @Test
        void a_torn_last_record_is_cut_off() throws Exception {
            try (var journal = Journal.open(file())) {
                runToCommitPrepared(journal, JOB);
            }
            long whole = Files.size(file());
            byte[] next = Journal.encode(new Journal.Line(8, 0, JOB.jobId(), 0, 0, new JobStep.Committed("tx-1")));
            Files.write(file(), java.util.Arrays.copyOf(next, next.length / 2), StandardOpenOption.APPEND);

            try (var journal = Journal.open(file())) {
                assertThat(journal.recovery()).isEqualTo(new Journal.Recovery(7, next.length / 2));
                assertThat(journal.state(JOB).orElseThrow().phase()).isEqualTo(JobState.Phase.COMMIT_PREPARED);
                assertThat(Files.size(file())).isEqualTo(whole);
                journal.append(JOB, new JobStep.Committed("tx-1"));
            }
            try (var journal = Journal.open(file())) {
                assertThat(journal.state(JOB).orElseThrow().commitTx()).isEqualTo("tx-1");
            }
        }

        @Test
        void a_whole_last_line_with_a_bad_checksum_or_zeros_is_cut_off() throws Exception {
            try (var journal = Journal.open(file())) {
                runToCommitPrepared(journal, JOB);
            }
            byte[] next = Journal.encode(new Journal.Line(8, 0, JOB.jobId(), 0, 0, new JobStep.Committed("tx-1")));
            next[20] ^= 0x01;
            Files.write(file(), next, StandardOpenOption.APPEND);
            Files.write(file(), new byte[4096], StandardOpenOption.APPEND); // zeros a crash can leave past the end

            try (var journal = Journal.open(file())) {
                assertThat(journal.recovery().records()).isEqualTo(7);
                assertThat(journal.recovery().truncatedBytes()).isEqualTo(next.length + 4096);
            }
        }

        @Test
        void a_bad_record_followed_by_good_ones_is_damage_and_refused() throws Exception {
            try (var journal = Journal.open(file())) {
                runToCommitPrepared(journal, JOB);
            }
            byte[] bytes = Files.readAllBytes(file());
            int secondLine = new String(bytes, StandardCharsets.UTF_8).indexOf('\n') + 1;
            bytes[secondLine + 30] ^= 0x20;
            Files.write(file(), bytes);

            assertThatThrownBy(() -> Journal.open(file())).isInstanceOf(JournalCorruptedException.class)
                    .hasMessageContaining("at byte " + secondLine);
            assertThat(Files.readAllBytes(file())).as("the damaged journal is left as it was").isEqualTo(bytes);
        }

        @Test
        void an_empty_or_missing_journal_opens_empty() throws Exception {
            try (var journal = Journal.open(file())) {
                assertThat(journal.states()).isEmpty();
                assertThat(journal.recovery()).isEqualTo(new Journal.Recovery(0, 0));
            }
            assertThat(file()).exists().isEmptyFile();
        }
    }

    @Test
    void compaction_keeps_the_jobs_asked_for_and_the_sequence() throws Exception {
        try (var journal = Journal.open(file())) {
            runToCommitPrepared(journal, JOB);
            journal.append(OTHER, new JobStep.Accepted("offer-2", 0));
            journal.append(OTHER, new JobStep.Failed("no"));
            long before = Files.size(file());

            journal.compact(state -> !state.phase().terminal());

            assertThat(Files.size(file())).isLessThan(before);
            assertThat(journal.states()).extracting(JobState::key).containsExactly(JOB);
            assertThat(journal.append(JOB, new JobStep.Committed("tx-1"))).isEqualTo(8);
        }
        try (var journal = Journal.open(file())) {
            assertThat(journal.state(JOB).orElseThrow().phase()).isEqualTo(JobState.Phase.COMMITTED);
            assertThat(journal.state(OTHER)).isEmpty();
        }
    }

    /** A figure for the README, printed, not asserted: appends per second, each synced to disk. */
    @Test
    void appends_with_fsync_are_measured() throws Exception {
        int jobs = Integer.getInteger("journal.measure.jobs", 250);
        try (var journal = Journal.open(file())) {
            long start = System.nanoTime();
            for (int i = 0; i < jobs; i++) {
                var key = new JobKey("job-" + i, 0, 0);
                runToCommitPrepared(journal, key);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long appends = jobs * 7L;
            System.out.printf("Journal: %,d appends with fsync in %.2f s: %,.0f appends/s (%,d bytes)%n",
                    appends, seconds, appends / seconds, Files.size(file()));
            assertThat(journal.states()).hasSize(jobs);
        }
    }
}
