package io.gridledger.agent.result;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.gridledger.agent.result.OutputRejectedException.Reason;

/**
 * Computes the canonical {@link OutputManifest} of a job's output folder, reading each file once through a fixed
 * buffer (memory does not grow with file sizes; it grows with the number of files, one manifest entry each).
 *
 * <p>The rules, so every honest node gets the same digest:
 * <ul>
 *   <li>Regular files count, by path, size and SHA-256 of their bytes. Directories count only through their files:
 *       an empty directory leaves no trace (object storage cannot hold one either).</li>
 *   <li>Paths are relative, '/'-separated, each name NFC-normalized: a name written decomposed (NFD, as macOS file
 *       systems store it) and the same name composed give the same digest. Two entries whose names are equal once
 *       normalized are refused ({@link Reason#NAME_COLLISION}): they would be one file on a normalizing system.</li>
 *   <li>A name that is not valid UTF-8 is refused; so is any name holding U+FFFD, which is how the JVM shows bytes it
 *       cannot decode. The JVM must run with a UTF-8 locale ({@code sun.jnu.encoding=UTF-8}), checked here.</li>
 *   <li>A symbolic link to a regular file inside the folder counts as that file's bytes under the link's path. A link
 *       out of the folder, a dangling link or a link to a directory is refused.</li>
 *   <li>FIFOs, sockets and devices are refused (reading a FIFO would block forever).</li>
 *   <li>Optional limits on the number of files and total bytes give {@link Reason#TOO_MANY_FILES} and
 *       {@link Reason#TOO_LARGE}.</li>
 * </ul>
 *
 * <pre>{@code
 * OutputManifest manifest = ResultDigest.withLimits(10_000, 1L << 30).compute(outputFolder);
 * Sha256 digest = manifest.digest();
 * }</pre>
 */
public final class ResultDigest {

    private static final int BUFFER_BYTES = 128 * 1024;
    private static final Comparator<byte[]> UNSIGNED_BYTES = Arrays::compareUnsigned;

    private final long maxFiles;
    private final long maxBytes;

    private ResultDigest(long maxFiles, long maxBytes) {
        if (maxFiles < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("limits must be >= 0");
        }
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
    }

    /** No limits on the number of files or bytes. */
    public static ResultDigest unlimited() {
        return new ResultDigest(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    public static ResultDigest withLimits(long maxFiles, long maxBytes) {
        return new ResultDigest(maxFiles, maxBytes);
    }

    /** The manifest of {@code folder}'s outputs; refuses what has no canonical digest. */
    public OutputManifest compute(Path folder) throws IOException, OutputRejectedException {
        Objects.requireNonNull(folder, "folder");
        requireUtf8FileNames();
        Path root = folder.toRealPath();
        if (!Files.isDirectory(root)) {
            throw new IOException("not a directory: " + folder);
        }
        var walk = new Walk(root);
        try {
            Files.walkFileTree(root, walk);
        } catch (Rejected rejected) {
            throw rejected.exception;
        }
        walk.files.sort(Comparator.comparing(PendingEntry::key, UNSIGNED_BYTES));
        return new OutputManifest(walk.files.stream().map(PendingEntry::entry).toList());
    }

    static void requireUtf8FileNames() {
        String encoding = System.getProperty("sun.jnu.encoding", "");
        if (!encoding.equalsIgnoreCase("UTF-8") && !encoding.equalsIgnoreCase("UTF8")) {
            throw new IllegalStateException("file names are read as " + encoding + ", not UTF-8: run the JVM with a "
                    + "UTF-8 locale (e.g. LC_ALL=C.UTF-8) so every node reads the same names");
        }
    }

    private record PendingEntry(byte[] key, OutputManifest.Entry entry) {
    }

    /** Carries a refusal out of the file visitor, whose methods may only throw IOException. */
    private static final class Rejected extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient OutputRejectedException exception;

        Rejected(OutputRejectedException exception) {
            super(exception.getMessage(), null);
            this.exception = exception;
        }
    }

    private final class Walk extends SimpleFileVisitor<Path> {
        private final Path root;
        private final List<PendingEntry> files = new ArrayList<>();
        private final Map<String, String> seen = new HashMap<>();
        private final MessageDigest sha = Sha256.newDigest();
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private long totalBytes;

        Walk(Path root) {
            this.root = root;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (!dir.equals(root)) {
                canonicalPath(dir);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String path = canonicalPath(file);
            Path content = file;
            if (attrs.isSymbolicLink()) {
                content = linkTarget(file, path);
            } else if (!attrs.isRegularFile()) {
                throw rejected(Reason.SPECIAL_FILE, path, "only regular files, directories and links to files inside "
                        + "the folder can be outputs");
            }
            if (files.size() >= maxFiles) {
                throw rejected(Reason.TOO_MANY_FILES, path, "more than " + maxFiles + " files");
            }
            long size = hash(content, path);
            files.add(new PendingEntry(path.getBytes(StandardCharsets.UTF_8),
                    new OutputManifest.Entry(path, size, Sha256.finish(sha))));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            throw exc;
        }

        private Path linkTarget(Path link, String path) throws IOException {
            Path target;
            try {
                target = link.toRealPath();
            } catch (NoSuchFileException e) {
                throw rejected(Reason.SYMLINK_DANGLING, path, "its target " + Files.readSymbolicLink(link)
                        + " does not exist");
            }
            if (!target.startsWith(root)) {
                throw rejected(Reason.SYMLINK_ESCAPES, path, "its target " + target + " is outside the output folder");
            }
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw rejected(Reason.SYMLINK_TO_DIRECTORY, path, "links to directories are not outputs");
            }
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                throw rejected(Reason.SPECIAL_FILE, path, "its target is not a regular file");
            }
            return target;
        }

        /** Reads the file once, into {@link #sha}; returns the number of bytes read (the size that was hashed). */
        private long hash(Path file, String path) throws IOException {
            sha.reset();
            long size = 0;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, read);
                    size += read;
                    if (totalBytes + size > maxBytes) {
                        throw rejected(Reason.TOO_LARGE, path, "the outputs exceed " + maxBytes + " bytes");
                    }
                }
            }
            totalBytes += size;
            return size;
        }

        private String canonicalPath(Path file) throws IOException {
            var joined = new StringBuilder();
            for (Path name : root.relativize(file)) {
                String raw = name.toString();
                if (raw.indexOf('\uFFFD') >= 0) {
                    throw rejected(Reason.NAME_NOT_UTF8, joined + raw, "the name is not valid UTF-8");
                }
                if (joined.length() > 0) {
                    joined.append('/');
                }
                joined.append(Normalizer.normalize(raw, Normalizer.Form.NFC));
            }
            String path = joined.toString();
            String original = root.relativize(file).toString();
            String earlier = seen.putIfAbsent(path, original);
            if (earlier != null && !earlier.equals(original)) {
                throw rejected(Reason.NAME_COLLISION, path, "'" + earlier + "' and '" + original
                        + "' are the same name once NFC-normalized");
            }
            return path;
        }

        private Rejected rejected(Reason reason, String path, String message) {
            return new Rejected(new OutputRejectedException(reason, path, message));
        }
    }
}
