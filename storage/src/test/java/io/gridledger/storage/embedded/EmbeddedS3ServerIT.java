package io.gridledger.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gridledger.storage.ObjectKey;
import io.gridledger.storage.StorageAccessDeniedException;
import io.gridledger.storage.StorageUnavailableException;
import io.gridledger.storage.minio.MinioObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded S3 server's life: start, serve, persist, stop, and every way it can fail to. */
class EmbeddedS3ServerIT {

    @TempDir
    Path dataDirectory;

    @Test
    void serves_signed_requests_on_a_free_port_until_closed_then_the_store_reports_it_unavailable()
            throws Exception {
        var server = EmbeddedS3Server.start(EmbeddedS3Server.Options.filesystem(dataDirectory));
        try (var store = new MinioObjectStore(server.storeConfig("lifecycle"))) {
            store.createBucket();
            ObjectKey key = store.put("hello".getBytes(StandardCharsets.UTF_8)).key();
            assertThat(server.isRunning()).isTrue();
            assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");

            server.close();

            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close())
                    .isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> store.exists(key))
                    .isInstanceOfSatisfying(StorageUnavailableException.class, e -> {
                        assertThat(e.endpoint()).isEqualTo(server.endpoint());
                        assertThat(e.getMessage()).contains(server.endpoint().toString(), "unavailable");
                    });
            server.close();
        } finally {
            server.close();
        }
    }

    @Test
    void the_filesystem_backend_keeps_objects_as_files_across_a_restart() throws Exception {
        byte[] bytes = "kept across restarts".getBytes(StandardCharsets.UTF_8);
        ObjectKey key;
        try (var server = EmbeddedS3Server.start(EmbeddedS3Server.Options.filesystem(dataDirectory));
                var store = new MinioObjectStore(server.storeConfig("persistent"))) {
            store.createBucket();
            key = store.put(bytes).key();
            assertThat(server.objectsDirectory().resolve("persistent").resolve(key.name())).hasBinaryContent(bytes);
        }

        try (var server = EmbeddedS3Server.start(EmbeddedS3Server.Options.filesystem(dataDirectory));
                var store = new MinioObjectStore(server.storeConfig("persistent"));
                InputStream in = store.get(key)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void the_in_memory_backend_forgets_everything_when_stopped() throws Exception {
        ObjectKey key;
        try (var server = EmbeddedS3Server.start(EmbeddedS3Server.Options.inMemory(dataDirectory));
                var store = new MinioObjectStore(server.storeConfig("transient"))) {
            store.createBucket();
            key = store.put(new byte[] {1, 2, 3}).key();
            assertThat(store.exists(key)).isTrue();
        }
        try (var server = EmbeddedS3Server.start(EmbeddedS3Server.Options.inMemory(dataDirectory));
                var store = new MinioObjectStore(server.storeConfig("transient"))) {
            store.createBucket();
            assertThat(store.exists(key)).isFalse();
            assertThat(server.objectsDirectory()).isEmptyDirectory();
        }
    }

    @Test
    void wrong_credentials_are_a_typed_access_denied_error() throws Exception {
        try (var server = EmbeddedS3Server.start(EmbeddedS3Server.Options.inMemory(dataDirectory)
                .withCredentials("gridledger", "the-right-secret"));
                var store = new MinioObjectStore(server.storeConfig("denied")
                        .withRegion("us-east-1")
                        .withBucket("denied"));
                var impostor = new MinioObjectStore(io.gridledger.storage.minio.MinioStoreConfig.of(
                        server.endpoint(), "gridledger", "a-wrong-secret", "denied"))) {
            store.createBucket();

            assertThatThrownBy(impostor::createBucket)
                    .isInstanceOfSatisfying(StorageAccessDeniedException.class, e -> assertThat(e.errorCode())
                            .isIn("SignatureDoesNotMatch", "AccessDenied", "InvalidAccessKeyId"));
        }
    }

    @Test
    void a_missing_server_jar_is_a_clear_error() {
        var options = EmbeddedS3Server.Options.filesystem(dataDirectory)
                .withServerJar(dataDirectory.resolve("no-such.jar"));

        assertThatThrownBy(() -> EmbeddedS3Server.start(options))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not built")
                .hasMessageContaining("mvn -B -ntp package -pl storage/s3proxy-server");
    }

    @Test
    void a_port_already_taken_is_a_clear_error() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            var options = EmbeddedS3Server.Options.inMemory(dataDirectory).withPort(taken.getLocalPort());

            assertThatThrownBy(() -> EmbeddedS3Server.start(options))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " was taken");
        }
    }

    @Test
    void bad_options_are_refused_saying_what_is_wrong() {
        var options = EmbeddedS3Server.Options.filesystem(dataDirectory);

        assertThatThrownBy(() -> options.withPort(70_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65535");
        assertThatThrownBy(() -> options.withMaxHeap("lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("512m");
        assertThatThrownBy(() -> options.withCredentials("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.withStartTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(options.toString()).doesNotContain(options.secretKey());
    }

    /** Started by {@link #the_server_dies_with_the_jvm_that_started_it()}: starts a server, prints its pid, waits. */
    public static final class StartAndWait {

        public static void main(String[] args) throws Exception {
            var server = EmbeddedS3Server.start(EmbeddedS3Server.Options.inMemory(Path.of(args[0])));
            System.out.println("server-pid=" + server.pid());
            System.out.flush();
            Thread.currentThread().join();
        }
    }

    @Test
    void the_server_dies_with_the_jvm_that_started_it_even_one_killed_outright() throws Exception {
        Process parent = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp", System.getProperty("java.class.path"),
                "-D" + EmbeddedS3Server.JAR_PROPERTY + "=" + System.getProperty(EmbeddedS3Server.JAR_PROPERTY),
                StartAndWait.class.getName(),
                dataDirectory.toString()))
                .redirectErrorStream(true)
                .start();
        long serverPid;
        try (var lines = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            serverPid = lines.lines()
                    .filter(line -> line.startsWith("server-pid="))
                    .mapToLong(line -> Long.parseLong(line.substring("server-pid=".length())))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the parent JVM exited with " + parent.exitValue()));
            Optional<ProcessHandle> server = ProcessHandle.of(serverPid);
            assertThat(server).hasValueSatisfying(handle -> assertThat(handle.isAlive()).isTrue());

            parent.destroyForcibly();

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
        } finally {
            parent.destroyForcibly();
        }
        assertThat(Files.exists(dataDirectory.resolve("s3proxy.properties"))).isTrue();
    }
}
