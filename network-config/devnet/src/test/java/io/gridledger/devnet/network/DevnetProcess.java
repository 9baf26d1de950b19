package io.gridledger.devnet.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.hyperledger.fabric.client.Gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * devnet in a child JVM ({@code DevnetMain up}), so that a test can kill it with SIGKILL ({@link #kill()}) and start
 * it again on the same data directory. Each org's peer dials its org's shared {@link ChaincodeProcess} (named per org
 * with {@code --chaincode-address Org1MSP=…,Org2MSP=…}); it listens on ephemeral ports and
 * cuts blocks every 100 ms like {@link DevnetNetwork}; clients learn the ports from {@code connection.json}. The JVM
 * is tuned for a short life on a busy machine (C1 only, serial GC).
 *
 * <pre>{@code
 * try (var devnet = DevnetProcess.start(dataDir, logFile)) {
 *     var gateway = devnet.connect("Org1MSP", "Admin");
 *     ...
 *     devnet.kill();
 * }
 * }</pre>
 */
public final class DevnetProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final JsonNode connection;
    private final List<ManagedChannel> channels = new ArrayList<>();

    private DevnetProcess(Process process, Path log, JsonNode connection) {
        this.process = process;
        this.log = log;
        this.connection = connection;
    }

    /** Starts devnet on {@code dataDir}, its output going to {@code log}, and waits until it says it is ready. */
    public static DevnetProcess start(Path dataDir, Path log) {
        var chaincodes = ChaincodeProcess.sharedAddresses(DevnetNetwork.memberOrgs(DevnetNetwork.FABRIC_DIR, 0));
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "io.gridledger.devnet.DevnetMain", "up",
                "--fabric-dir", DevnetNetwork.FABRIC_DIR.toString(),
                "--data-dir", dataDir.toAbsolutePath().toString(),
                "--port", "0",
                "--batch-timeout", "100ms",
                "--chaincode-address", chaincodes.toString());
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            await("devnet ready in " + log).atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .failFast("devnet exited; see " + log, () -> !process.isAlive())
                    .until(() -> Files.readString(log).contains("devnet ready"));
            var connection = new ObjectMapper().readTree(dataDir.resolve("connection.json").toFile());
            return new DevnetProcess(process, log, connection);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException("devnet did not start: " + e.getMessage() + "\n" + tail(log), e);
        }
    }

    /** A Gateway SDK connection to {@code mspId}'s peer as its user {@code user} (Admin, User1, node1…). */
    public Gateway connect(String mspId, String user) {
        var org = organization(mspId);
        var files = org.path("users").path(user);
        if (files.isMissingNode()) {
            throw new IllegalArgumentException("connection.json has no user " + user + " in " + mspId);
        }
        var channel = NettyChannelBuilder.forTarget(org.path("peerEndpoint").asText()).usePlaintext().build();
        channels.add(channel);
        return FabricNetwork.gateway(channel, FabricNetwork.identity(mspId, Path.of(files.path("certificate").asText())),
                FabricNetwork.signer(Path.of(files.path("privateKey").asText())));
    }

    private JsonNode organization(String mspId) {
        for (var org : connection.path("organizations")) {
            if (org.path("mspId").asText().equals(mspId)) {
                return org;
            }
        }
        throw new IllegalArgumentException("connection.json has no organization " + mspId);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
        closeChannels();
    }

    /** The last lines devnet wrote, for failure messages. */
    public String logTail() {
        return tail(log);
    }

    /** A clean stop (SIGTERM: devnet's shutdown hook closes it). */
    @Override
    public void close() {
        closeChannels();
        process.destroy();
        waitForExit();
    }

    private void closeChannels() {
        channels.forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
