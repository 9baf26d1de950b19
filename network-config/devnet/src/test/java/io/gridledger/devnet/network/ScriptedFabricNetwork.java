package io.gridledger.devnet.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridledger.devnet.msp.CryptoConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Identity;
import org.hyperledger.fabric.client.identity.Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Hyperledger Fabric 2.5 network, brought up by {@code network-config/fabric/network.sh up} and
 * {@code deploy} from Fabric's release binaries, reached over TLS through the connection profiles in
 * {@code network-config/fabric/connection-profiles} with the identities {@code network.sh} issued.
 *
 * <p>With {@code GRIDLEDGER_FABRIC_RUNNING=1} in the environment it uses a network that is already up and
 * deployed and leaves it running; otherwise it runs {@code up} and {@code deploy} itself and {@code down} at
 * the end. With the system property {@code gridledger.fabric.ca=true} (or {@code GRIDLEDGER_FABRIC_CA=1}) it runs
 * {@code up --ca}: identities from Fabric CA servers instead of cryptogen.
 *
 * <p>{@code network.sh}'s output is streamed line by line to the {@code network.sh} logger (the Maven console). If
 * {@code up} or {@code deploy} fails, it copies the network's logs ({@code run/logs}) to
 * {@code target/fabric-network-logs/<time>/}, runs {@code down}, and fails: no network is left running. {@code close}
 * copies the logs the same way before {@code down}.
 */
public final class ScriptedFabricNetwork implements FabricNetwork {

    /** System property that selects the Fabric CA variant of the network ({@code network.sh up --ca}). */
    public static final String CA_PROPERTY = "gridledger.fabric.ca";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger("network.sh");
    /** Where the logs of a network this class started are kept: the devnet module's {@code target/}. */
    private static final Path KEPT_LOGS = Path.of("target", "fabric-network-logs");

    private final Path fabricDir;
    private final CryptoConfig crypto;
    private final boolean owned;
    private final List<ManagedChannel> channels = new ArrayList<>();

    private ScriptedFabricNetwork(Path fabricDir, boolean owned) {
        this.fabricDir = fabricDir;
        this.crypto = CryptoConfig.load(fabricDir);
        this.owned = owned;
    }

    public static ScriptedFabricNetwork start(Path fabricDir) {
        boolean running = System.getenv("GRIDLEDGER_FABRIC_RUNNING") != null;
        if (!running) {
            var up = withFabricCa() ? List.of("up", "--ca") : List.of("up");
            try {
                script(fabricDir, up);
                script(fabricDir, List.of("deploy"));
            } catch (RuntimeException e) {
                var failure = keepLogs(fabricDir)
                        .<RuntimeException>map(logs -> new IllegalStateException(e.getMessage() + "; the network's logs: " + logs, e))
                        .orElse(e);
                try {
                    script(fabricDir, List.of("down"));
                } catch (RuntimeException downFailed) {
                    failure.addSuppressed(downFailed);
                }
                throw failure;
            }
        }
        return new ScriptedFabricNetwork(fabricDir, !running);
    }

    /** {@code -Dgridledger.fabric.ca=true} or {@code GRIDLEDGER_FABRIC_CA=1}: the network's identities come from Fabric CA. */
    static boolean withFabricCa() {
        var env = System.getenv("GRIDLEDGER_FABRIC_CA");
        return Boolean.getBoolean(CA_PROPERTY) || "1".equals(env) || "true".equalsIgnoreCase(env);
    }

    @Override
    public Path userCertificate(String mspId, String user) {
        return onlyFile(userMsp(mspId, user).resolve("signcerts"));
    }

    @Override
    public Path userPrivateKey(String mspId, String user) {
        return onlyFile(userMsp(mspId, user).resolve("keystore"));
    }

    @Override
    public Gateway connect(String peerMspId, Identity identity, Signer signer) {
        var org = org(peerMspId);
        var profileFile = fabricDir.resolve("connection-profiles").resolve(org.name().toLowerCase() + ".json");
        try {
            var profile = JSON.readTree(profileFile.toFile());
            var peerName = profile.at("/organizations/" + org.name() + "/peers/0").asText();
            JsonNode peer = profile.path("peers").path(peerName);
            var url = URI.create(peer.path("url").asText());
            var tlsCa = profileFile.getParent().resolve(peer.at("/tlsCACerts/path").asText()).normalize();
            var channel = NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
                    .sslContext(GrpcSslContexts.forClient().trustManager(tlsCa.toFile()).build())
                    .overrideAuthority(peer.at("/grpcOptions/ssl-target-name-override").asText(peerName))
                    .build();
            channels.add(channel);
            return FabricNetwork.gateway(channel, identity, signer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the connection profile " + profileFile, e);
        }
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (owned) {
            keepLogs(fabricDir);
            script(fabricDir, List.of("down"));
        }
    }

    private CryptoConfig.Org org(String mspId) {
        return crypto.peerOrgs().stream().filter(o -> o.mspId().equals(mspId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(mspId + " is not a member org of " + fabricDir));
    }

    private Path userMsp(String mspId, String user) {
        var org = org(mspId);
        return fabricDir.resolve("organizations/peerOrganizations").resolve(org.domain())
                .resolve("users").resolve(user + "@" + org.domain()).resolve("msp");
    }

    /** cryptogen names the key {@code priv_sk}, Fabric CA by its SKI: either way it is the folder's one file. */
    private static Path onlyFile(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            var found = files.filter(Files::isRegularFile).toList();
            if (found.size() != 1) {
                throw new IllegalStateException("expected one file in " + dir + ", found " + found);
            }
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code network.sh} with {@code args}, its stdout and stderr merged and logged line by line: a forked test
     * JVM's inherited stdout is Maven's channel to it, so output written there directly never reaches the console.
     */
    private static void script(Path fabricDir, List<String> args) {
        var command = new ArrayList<String>(List.of("bash", fabricDir.resolve("network.sh").toString()));
        command.addAll(args);
        var name = "network.sh " + String.join(" ", args);
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            var output = new Thread(() -> streamOutput(process, name), name + " output");
            output.setDaemon(true);
            output.start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within 15 minutes; see its output above");
            }
            output.join(TimeUnit.SECONDS.toMillis(10));
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (exit " + process.exitValue() + "); see its output above");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    private static void streamOutput(Process process, String name) {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                LOG.info("{}", line);
            }
        } catch (IOException e) {
            LOG.warn("lost the output of {}: {}", name, e.toString());
        }
    }

    /** Copies {@code run/logs} (which {@code down} removes) to {@code target/fabric-network-logs/<time>/}. */
    private static Optional<Path> keepLogs(Path fabricDir) {
        var logs = fabricDir.resolve("run/logs");
        if (!Files.isDirectory(logs)) {
            return Optional.empty();
        }
        var kept = KEPT_LOGS.resolve(Instant.now().toString().replace(':', '-')).toAbsolutePath();
        try (Stream<Path> files = Files.list(logs)) {
            Files.createDirectories(kept);
            for (var file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.info("the network's logs are kept in {}", kept);
            return Optional.of(kept);
        } catch (IOException e) {
            LOG.warn("could not keep the network's logs ({}) in {}: {}", logs, kept, e.toString());
            return Optional.empty();
        }
    }
}
