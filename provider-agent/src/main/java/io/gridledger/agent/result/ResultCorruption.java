package io.gridledger.agent.result;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;

/**
 * Fault injection, testing only ({@code gridledger.agent.faults.corrupt-results}): turns a node into a consistent liar
 * by altering a job's outputs in place <em>before</em> {@link ResultDigest} reads them, so the manifest it uploads, the
 * commitment and the reveal all agree with each other and differ from what honest nodes compute.
 *
 * <p>Each regular file gets {@link #MARK} appended; an output folder with no regular file gets one,
 * {@value #EMPTY_OUTPUTS_FILE}, holding the mark. Symbolic links are left alone (a link to a file of the folder shows
 * that file's altered bytes; any other link is refused by {@link ResultDigest} as usual). It is idempotent: a file that
 * already ends with the mark is not changed again, so an agent restarted in the middle of the upload step declares the
 * same digest as before its crash. The honest instance does nothing.
 *
 * <pre>{@code
 * ResultCorruption.when(faults.corruptResults()).apply(outputFolder);
 * OutputManifest manifest = ResultDigest.withLimits(maxFiles, maxBytes).compute(outputFolder);
 * }</pre>
 */
public final class ResultCorruption {

    /** The line appended to each output file. */
    public static final String MARK = "gridledger fault injection: corrupted result\n";
    /** The file added to an output folder that has no file to alter. */
    public static final String EMPTY_OUTPUTS_FILE = ".corrupted";

    private static final byte[] MARK_BYTES = MARK.getBytes(StandardCharsets.UTF_8);
    private static final ResultCorruption HONEST = new ResultCorruption(false);
    private static final ResultCorruption LIAR = new ResultCorruption(true);

    private final boolean enabled;

    private ResultCorruption(boolean enabled) {
        this.enabled = enabled;
    }

    /** The liar when {@code enabled}, otherwise the honest instance that leaves outputs untouched. */
    public static ResultCorruption when(boolean enabled) {
        return enabled ? LIAR : HONEST;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Alters {@code outputFolder}'s files as described above; does nothing on an honest node. */
    public void apply(Path outputFolder) throws IOException {
        Objects.requireNonNull(outputFolder, "outputFolder");
        if (!enabled) {
            return;
        }
        var altered = new int[1];
        Files.walkFileTree(outputFolder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()) {
                    appendMarkOnce(file);
                    altered[0]++;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (altered[0] == 0) {
            Files.write(outputFolder.resolve(EMPTY_OUTPUTS_FILE), MARK_BYTES);
        }
    }

    private static void appendMarkOnce(Path file) throws IOException {
        try (var channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size >= MARK_BYTES.length) {
                var tail = ByteBuffer.allocate(MARK_BYTES.length);
                long from = size - MARK_BYTES.length;
                while (tail.hasRemaining()) {
                    if (channel.read(tail, from + tail.position()) < 0) {
                        break;
                    }
                }
                if (Arrays.equals(tail.array(), MARK_BYTES)) {
                    return;
                }
            }
            var mark = ByteBuffer.wrap(MARK_BYTES);
            while (mark.hasRemaining()) {
                channel.write(mark, size + mark.position());
            }
        }
    }
}
