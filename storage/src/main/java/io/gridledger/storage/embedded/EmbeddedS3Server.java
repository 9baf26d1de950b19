package io.gridledger.storage.embedded;

import io.gridledger.storage.minio.MinioStoreConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object store of the local stack and the tests: <a href="https://github.com/gaul/s3proxy">s3proxy</a>, a
 * maintained S3-compatible server, with its filesystem backend (objects are files under a data directory, kept across
 * restarts) or its transient one (in memory), started as a child process on 127.0.0.1.
 *
 * <p>It runs in a JVM of its own, from {@code storage/s3proxy-server}'s runnable jar
 * ({@code target/gridledger-s3proxy.jar} with {@code target/s3proxy-lib/}), so that s3proxy's Jetty, cloud SDKs and
 * Logback never meet the classpath of the service that starts it. The child exits with its parent, even one killed
 * with SIGKILL (it watches the pipe to its standard input), and its log lines go to this class's logger.
 *
 * <pre>{@code
 * try (var server = EmbeddedS3Server.start(EmbeddedS3Server.Options.filesystem(Path.of("target/s3")));
 *      var store = new MinioObjectStore(server.storeConfig("gridledger"))) {
 *     store.createBucket();
 *     ...
 * }
 * }</pre>
 *
 * <p>The jar is found at {@link Options#serverJar()} when set, else at the system property {@value #JAR_PROPERTY}, the
 * environment variable {@value #JAR_ENVIRONMENT}, or {@code storage/s3proxy-server/target/gridledger-s3proxy.jar}
 * under the working directory or one of its parents (a build of the repository puts it there).
 */
public final class EmbeddedS3Server implements AutoCloseable {

    public static final String JAR_PROPERTY = "gridledger.s3proxy.jar";
    public static final String JAR_ENVIRONMENT = "GRIDLEDGER_S3PROXY_JAR";
    /** The region the server accepts signatures for (s3proxy's default). */
    public static final String REGION = MinioStoreConfig.DEFAULT_REGION;

    static final String READY = "gridledger-s3proxy: ready";
    private static final Path JAR_IN_REPOSITORY = Path.of("storage", "s3proxy-server", "target",
            "gridledger-s3proxy.jar");
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3Server.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final int START_ATTEMPTS = 3;
    private static final int OUTPUT_LINES_KEPT = 40;

    /** Where s3proxy keeps the objects. */
    public enum Backend {
        /** Files under the data directory's {@code objects/}: they survive a restart. */
        FILESYSTEM,
        /** Memory of the server's JVM: gone when it stops. */
        TRANSIENT
    }

    /**
     * How to run the server.
     *
     * @param dataDirectory where the server keeps its configuration and, with the filesystem backend, the objects
     * @param backend       filesystem or transient
     * @param port          the port on 127.0.0.1, or 0 for a free one
     * @param accessKey     the access key clients sign with
     * @param secretKey     its secret key
     * @param serverJar     the runnable jar, if not to be found as the class comment says
     * @param maxHeap       the server JVM's {@code -Xmx}, such as {@code 512m}: s3proxy holds each signed request body
     *                      in memory while it checks its SHA-256 (one part of a multipart upload at a time)
     * @param startTimeout  how long the server may take to listen
     */
    public record Options(Path dataDirectory, Backend backend, int port, String accessKey, String secretKey,
            Optional<Path> serverJar, String maxHeap, Duration startTimeout) {

        public Options {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
            Objects.requireNonNull(serverJar, "serverJar");
            Objects.requireNonNull(maxHeap, "maxHeap");
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is 0 (any free one) to 65535, not " + port);
            }
            if (accessKey.isBlank() || secretKey.isBlank()) {
                throw new IllegalArgumentException("the access key and secret key must not be blank");
            }
            if (accessKey.contains("\n") || secretKey.contains("\n")) {
                throw new IllegalArgumentException("credentials are single-line");
            }
            if (!maxHeap.matches("[1-9][0-9]*[kKmMgG]?")) {
                throw new IllegalArgumentException("a heap size is a number with an optional k, m or g, such as "
                        + "512m: \"" + maxHeap + "\"");
            }
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("the start timeout must be positive: " + startTimeout);
            }
        }

        /** A filesystem-backed server on a free port with random credentials. */
        public static Options filesystem(Path dataDirectory) {
            return new Options(dataDirectory, Backend.FILESYSTEM, 0, "gridledger-" + randomHex(6), randomHex(20),
                    Optional.empty(), "512m", Duration.ofSeconds(60));
        }

        /** An in-memory server on a free port with random credentials; {@code workDirectory} holds its config. */
        public static Options inMemory(Path workDirectory) {
            return filesystem(workDirectory).withBackend(Backend.TRANSIENT);
        }

        public Options withBackend(Backend backend) {
            return new Options(dataDirectory, backend, port, accessKey, secretKey, serverJar, maxHeap, startTimeout);
        }

        public Options withPort(int port) {
            return new Options(dataDirectory, backend, port, accessKey, secretKey, serverJar, maxHeap, startTimeout);
        }

        public Options withCredentials(String accessKey, String secretKey) {
            return new Options(dataDirectory, backend, port, accessKey, secretKey, serverJar, maxHeap, startTimeout);
        }

        public Options withServerJar(Path serverJar) {
            return new Options(dataDirectory, backend, port, accessKey, secretKey, Optional.of(serverJar), maxHeap,
                    startTimeout);
        }

        public Options withMaxHeap(String maxHeap) {
            return new Options(dataDirectory, backend, port, accessKey, secretKey, serverJar, maxHeap, startTimeout);
        }

        public Options withStartTimeout(Duration startTimeout) {
            return new Options(dataDirectory, backend, port, accessKey, secretKey, serverJar, maxHeap, startTimeout);
        }

        @Override
        public String toString() {
            return "Options[dataDirectory=" + dataDirectory + ", backend=" + backend + ", port=" + port
                    + ", accessKey=" + accessKey + ", secretKey=(hidden), serverJar=" + serverJar + ", maxHeap="
                    + maxHeap + ", startTimeout=" + startTimeout + "]";
        }
    }

    private final Options options;
    private final Process process;
    private final OutputStream parentPipe;
    private final URI endpoint;

    private EmbeddedS3Server(Options options, Process process, URI endpoint) {
        this.options = options;
        this.process = process;
        this.parentPipe = process.getOutputStream();
        this.endpoint = endpoint;
    }

    /**
     * Starts a server and returns once it listens.
     *
     * @throws IOException if the jar cannot be found, the data directory cannot be written, or the server exits or
     *                     does not listen within the start timeout (the message carries its last output lines)
     */
    public static EmbeddedS3Server start(Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        Path jar = locateJar(options);
        Path dataDirectory = Files.createDirectories(options.dataDirectory()).toAbsolutePath();
        Path objects = Files.createDirectories(dataDirectory.resolve("objects"));
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= (options.port() == 0 ? START_ATTEMPTS : 1); attempt++) {
            int port = options.port() == 0 ? freePort() : options.port();
            try {
                return launch(options, jar, dataDirectory, objects, port);
            } catch (PortTakenException e) {
                // A free port found by the parent can be taken by someone else before the child binds it.
                lastFailure = e;
                LOG.info("port {} was taken before the embedded S3 server could bind it; trying another", port);
            }
        }
        throw lastFailure;
    }

    private static EmbeddedS3Server launch(Options options, Path jar, Path dataDirectory, Path objects, int port)
            throws IOException {
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path properties = writeProperties(options, dataDirectory, objects, endpoint);
        var command = new java.util.ArrayList<String>();
        // A session of its own (setsid execs it: same pid): a Ctrl-C in the parent's terminal does not reach it, so the
        // parent stops it in its own order (the local consortium stops its object stores after the agents uploading to them).
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + options.maxHeap(),
                "-XX:+UseSerialGC",
                "-jar", jar.toString(),
                "--properties", properties.toString(),
                "--exit-with-parent"));
        Process process = new ProcessBuilder(command)
                .directory(dataDirectory.toFile())
                .redirectErrorStream(true)
                .start();
        var ready = new CompletableFuture<Void>();
        Deque<String> lastLines = new ArrayDeque<>();
        var reader = new Thread(() -> forwardOutput(process, port, ready, lastLines), "s3proxy-" + port + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            CompletableFuture.anyOf(ready, process.onExit()).get(options.startTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("the embedded S3 server did not listen on " + endpoint + " within "
                    + options.startTimeout() + "; its output:\n" + join(lastLines));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the embedded S3 server", e);
        } catch (ExecutionException e) {
            process.destroyForcibly();
            throw new IOException("starting the embedded S3 server failed", e.getCause());
        }
        if (!ready.isDone()) {
            awaitQuietly(reader);
            String output = join(lastLines);
            if (output.contains("Failed to bind") || output.contains("Address already in use")) {
                throw new PortTakenException(port, output);
            }
            throw new IOException("the embedded S3 server exited with status " + process.exitValue()
                    + " before it listened; its output:\n" + output);
        }
        LOG.info("embedded S3 server ({} backend, data in {}) listens on {} (pid {})", options.backend(),
                dataDirectory, endpoint, process.pid());
        return new EmbeddedS3Server(options, process, endpoint);
    }

    private static Path writeProperties(Options options, Path dataDirectory, Path objects, URI endpoint)
            throws IOException {
        var properties = new Properties();
        properties.setProperty("s3proxy.endpoint", endpoint.toString());
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", options.accessKey());
        properties.setProperty("s3proxy.credential", options.secretKey());
        properties.setProperty("jclouds.provider", switch (options.backend()) {
            case FILESYSTEM -> "filesystem";
            case TRANSIENT -> "transient";
        });
        properties.setProperty("jclouds.identity", "");
        properties.setProperty("jclouds.credential", "");
        properties.setProperty("jclouds.filesystem.basedir", objects.toString());
        Path file = dataDirectory.resolve("s3proxy.properties");
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // It holds the secret key: readable by its owner only.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (var out = Files.newOutputStream(file)) {
            properties.store(out, "GridLedger embedded S3 server (s3proxy); written by EmbeddedS3Server");
        }
        return file;
    }

    private static void forwardOutput(Process process, int port, CompletableFuture<Void> ready,
            Deque<String> lastLines) {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > OUTPUT_LINES_KEPT) {
                        lastLines.removeFirst();
                    }
                }
                if (line.equals(READY)) {
                    ready.complete(null);
                } else if (line.contains(" ERROR ") || line.contains(" WARN ")) {
                    LOG.warn("s3proxy:{} {}", port, line);
                } else {
                    LOG.info("s3proxy:{} {}", port, line);
                }
            }
        } catch (IOException e) {
            LOG.debug("the embedded S3 server's output ended", e);
        }
    }

    private static Path locateJar(Options options) throws IOException {
        List<Path> candidates = new ArrayList<>();
        if (options.serverJar().isPresent()) {
            candidates.add(options.serverJar().get());
        } else if (System.getProperty(JAR_PROPERTY) != null) {
            candidates.add(Path.of(System.getProperty(JAR_PROPERTY)));
        } else if (System.getenv(JAR_ENVIRONMENT) != null) {
            candidates.add(Path.of(System.getenv(JAR_ENVIRONMENT)));
        } else {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                candidates.add(dir.resolve(JAR_IN_REPOSITORY));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IOException("the embedded S3 server's jar is not built (looked for " + candidates.get(0)
                + (candidates.size() > 1 ? " and in the parent directories" : "") + "): build it with "
                + "`mvn -B -ntp package -pl storage/s3proxy-server` from the repository root, or point the system "
                + "property " + JAR_PROPERTY + " or the environment variable " + JAR_ENVIRONMENT + " at it");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String join(Deque<String> lines) {
        synchronized (lines) {
            return lines.isEmpty() ? "(none)" : String.join("\n", lines);
        }
    }

    private static void awaitQuietly(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    public String accessKey() {
        return options.accessKey();
    }

    public String secretKey() {
        return options.secretKey();
    }

    public Options options() {
        return options;
    }

    /** The directory holding the objects (with the filesystem backend: {@code <bucket>/<object name>} files). */
    public Path objectsDirectory() {
        return options.dataDirectory().toAbsolutePath().resolve("objects");
    }

    /** The child process's id. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** A store configuration for {@code bucket} on this server, with the defaults of {@link MinioStoreConfig#of}. */
    public MinioStoreConfig storeConfig(String bucket) {
        return MinioStoreConfig.of(endpoint, accessKey(), secretKey(), bucket);
    }

    /**
     * Stops the server (SIGTERM: s3proxy finishes the requests in flight) and waits for it to exit; kills it if it
     * has not within ten seconds. Stopping a stopped server does nothing.
     */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("the embedded S3 server on {} did not stop within 10 s; killing it", endpoint);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                parentPipe.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        LOG.info("embedded S3 server on {} stopped", endpoint);
    }

    @Override
    public String toString() {
        return "EmbeddedS3Server[" + endpoint + ", " + options.backend() + ", " + options.dataDirectory() + "]";
    }

    /** The child could not bind the port it was given. */
    private static final class PortTakenException extends IOException {

        private static final long serialVersionUID = 1L;

        PortTakenException(int port, String output) {
            super("port " + port + " was taken; the embedded S3 server's output:\n" + output);
        }
    }
}
