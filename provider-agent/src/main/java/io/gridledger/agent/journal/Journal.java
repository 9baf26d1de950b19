package io.gridledger.agent.journal;

import io.gridledger.agent.JobKey;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * The agent's crash-safe record of every job it holds: an append-only file of steps, one line each,
 *
 * <pre>
 * crc32c(8 hex) ' ' {"seq":7,"at":…,"job":"j1","replica":0,"attempt":0,"step":{"type":"committed",…}} '\n'
 * </pre>
 *
 * <ul>
 *   <li>{@link #append} returns only once the record is on disk ({@code fdatasync}): what it acknowledged survives a
 *       kill -9 or a power cut. Steps are checked against the job's phase before they are written.</li>
 *   <li>{@link #open} replays the file to the latest {@link JobState} of each job. A crash can only tear the last
 *       record (each append is synced before the next begins): a bad tail is truncated. A bad record followed by
 *       good ones is damage, not a crash, and opening fails with {@link JournalCorruptedException}.</li>
 *   <li>{@link #compact} rewrites the file without the jobs the caller no longer needs, atomically.</li>
 * </ul>
 *
 * Why a file and not an embedded database: the journal is small, written in order and read once at start; its
 * recovery rule fits in this class and is tested with a real kill -9, where a database would bring its own files,
 * locking and recovery to understand, and a second way of storing JSON into the module.
 *
 * <pre>{@code
 * try (Journal journal = Journal.open(dataDir.resolve("journal.log"))) {
 *     journal.unfinished().forEach(recovery::resume);
 *     journal.append(key, new JobStep.Accepted(offerId, deadline));
 * }
 * }</pre>
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    /** A record longer than this is not one the agent writes: opening treats it as damage. */
    static final int MAX_RECORD_BYTES = 1 << 20;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** One line of the file. */
    record Line(long seq, long at, String job, int replica, int attempt, JobStep step) {
        JobKey key() {
            return new JobKey(job, replica, attempt);
        }
    }

    /** What opening found: records replayed and the bytes of a torn tail it cut off. */
    public record Recovery(long records, long truncatedBytes) {
    }

    private final Path file;
    private final Clock clock;
    private final Map<JobKey, JobState> states = new LinkedHashMap<>();
    private FileChannel channel;
    private long end;
    private long lastSeq;
    private Recovery recovery;
    private IOException broken;

    private Journal(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public static Journal open(Path file) throws IOException {
        return open(file, Clock.systemUTC());
    }

    public static Journal open(Path file, Clock clock) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        var journal = new Journal(file.toAbsolutePath(), clock);
        journal.openChannel();
        return journal;
    }

    private void openChannel() throws IOException {
        Files.createDirectories(file.getParent());
        boolean created = !Files.exists(file);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) {
            syncDirectory(file.getParent());
        }
        states.clear();
        lastSeq = 0;
        recovery = replay();
        if (recovery.truncatedBytes() > 0) {
            LOG.warn("journal {}: cut a torn tail of {} bytes after {} records", file, recovery.truncatedBytes(),
                    recovery.records());
        }
    }

    /** What opening replayed and truncated. */
    public Recovery recovery() {
        return recovery;
    }

    /**
     * Appends a step of {@code key}'s job and returns once it is durable; returns its sequence number.
     *
     * @throws IllegalTransitionException when the step cannot follow the job's phase (nothing is written)
     * @throws IOException when the write or sync failed: the journal then refuses further appends
     */
    public synchronized long append(JobKey key, JobStep step) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(step, "step");
        if (broken != null) {
            throw new IOException("journal " + file + " failed earlier and accepts no more records", broken);
        }
        if (channel == null) {
            throw new IllegalStateException("journal " + file + " is closed");
        }
        long seq = lastSeq + 1;
        long at = clock.millis();
        JobState current = states.get(key);
        JobState next = current == null ? JobState.begin(key, step, seq, at) : current.after(step, seq, at);
        byte[] record = encode(new Line(seq, at, key.jobId(), key.replica(), key.attempt(), step));
        try {
            writeFully(channel, ByteBuffer.wrap(record), end);
            channel.force(false);
        } catch (IOException e) {
            broken = e;
            throw e;
        }
        end += record.length;
        lastSeq = seq;
        states.put(key, next);
        return seq;
    }

    public synchronized Optional<JobState> state(JobKey key) {
        return Optional.ofNullable(states.get(key));
    }

    /** The latest state of every job in the journal, in the order the jobs were accepted. */
    public synchronized List<JobState> states() {
        return List.copyOf(states.values());
    }

    /** Jobs neither revealed nor failed: what a restarted agent resumes or cleans up. */
    public synchronized List<JobState> unfinished() {
        return states.values().stream().filter(state -> !state.phase().terminal()).toList();
    }

    /**
     * Rewrites the journal keeping only the records of jobs {@code keep} accepts (e.g. unfinished jobs and those that
     * ended in the last day, so a redelivered assignment is still recognised). The new file is synced and renamed over
     * the old one, so a crash leaves one or the other.
     */
    public synchronized void compact(Predicate<JobState> keep) throws IOException {
        Objects.requireNonNull(keep, "keep");
        var kept = new java.util.HashSet<JobKey>();
        states.values().stream().filter(keep).forEach(state -> kept.add(state.key()));
        Path temp = file.resolveSibling(file.getFileName() + ".compacting");
        try (var out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE); InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            long position = 0;
            byte[] line;
            var reader = new LineReader(in);
            while ((line = reader.next()) != null) {
                Line parsed = decode(line);
                if (parsed != null && kept.contains(parsed.key())) {
                    position += writeFully(out, ByteBuffer.wrap(line), position);
                }
            }
            out.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
        channel.close();
        openChannel();
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private Recovery replay() throws IOException {
        long offset = 0;
        long records = 0;
        // A stream of its own: closing a Channels.newInputStream would close the journal's channel.
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            var reader = new LineReader(in);
            byte[] line;
            while ((line = reader.next()) != null) {
                Line parsed = decode(line);
                if (parsed == null) {
                    return cutTail(offset, reader, records);
                }
                JobState current = states.get(parsed.key());
                try {
                    states.put(parsed.key(), current == null
                            ? JobState.begin(parsed.key(), parsed.step(), parsed.seq(), parsed.at())
                            : current.after(parsed.step(), parsed.seq(), parsed.at()));
                } catch (IllegalTransitionException e) {
                    throw new JournalCorruptedException(file, offset, e.getMessage());
                }
                if (parsed.seq() <= lastSeq) {
                    throw new JournalCorruptedException(file, offset, "sequence " + parsed.seq() + " after " + lastSeq);
                }
                lastSeq = parsed.seq();
                offset += line.length;
                records++;
            }
        }
        end = offset;
        return new Recovery(records, 0);
    }

    /** The record at {@code offset} is bad: a torn tail if no good record follows, damage otherwise. */
    private Recovery cutTail(long offset, LineReader reader, long records) throws IOException {
        byte[] line;
        while ((line = reader.next()) != null) {
            if (decode(line) != null) {
                throw new JournalCorruptedException(file, offset, "a record fails its checksum");
            }
        }
        long size = channel.size();
        channel.truncate(offset);
        channel.force(true);
        end = offset;
        return new Recovery(records, size - offset);
    }

    static byte[] encode(Line line) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("journal records are plain records: " + e.getMessage(), e);
        }
        var crc = new CRC32C();
        crc.update(json);
        var out = new ByteArrayOutputStream(json.length + 10);
        out.writeBytes(String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(json);
        out.write('\n');
        return out.toByteArray();
    }

    /** The record of one complete line (with its '\n'), or null when it is torn or fails its checksum. */
    static Line decode(byte[] line) {
        int length = line.length;
        if (length < 11 || line[length - 1] != '\n' || line[8] != ' ') {
            return null;
        }
        long expected;
        try {
            expected = Long.parseLong(new String(line, 0, 8, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        var crc = new CRC32C();
        crc.update(line, 9, length - 10);
        if (crc.getValue() != expected) {
            return null;
        }
        try {
            return JSON.readValue(line, 9, length - 10, Line.class);
        } catch (IOException e) {
            return null; // a matching checksum over bad JSON: not written by this class
        }
    }

    private static int writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int written = 0;
        while (buffer.hasRemaining()) {
            written += channel.write(buffer, position + written);
        }
        return written;
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (var directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    /** Splits a stream into lines that keep their '\n'; the last one may lack it (a torn tail). */
    private static final class LineReader {
        private final InputStream in;

        LineReader(InputStream in) {
            this.in = in;
        }

        byte[] next() throws IOException {
            var line = new ByteArrayOutputStream(256);
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n' || line.size() > MAX_RECORD_BYTES) {
                    break;
                }
            }
            return line.size() == 0 ? null : line.toByteArray();
        }
    }

    @Override
    public String toString() {
        return "Journal[" + file + ", " + states.size() + " jobs, seq " + lastSeq + "]";
    }
}
