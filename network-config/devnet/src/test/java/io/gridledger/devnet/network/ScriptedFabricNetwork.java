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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Hyperledger Fabric 2.5 network, brought up by {@code network-config/fabric/network.sh up} and
 * {@code deploy} from Fabric's release binaries, reached over TLS through the connection profiles in
 * {@code network-config/fabric/connection-profiles} with the identities {@code network.sh} issued.
 *
 * <p>With {@code GRIDLEDGER_FABRIC_RUNNING=1} in the environment it uses a network that is already up and
 * deployed and leaves it running; otherwise it runs {@code up} and {@code deploy} itself and {@code down} at
 * the end.
 */
public final class ScriptedFabricNetwork implements FabricNetwork {

    private static final ObjectMapper JSON = new ObjectMapper();

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
            script(fabricDir, "up");
            script(fabricDir, "deploy");
        }
        return new ScriptedFabricNetwork(fabricDir, !running);
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
            script(fabricDir, "down");
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

    private static void script(Path fabricDir, String command) {
        try {
            var process = new ProcessBuilder("bash", fabricDir.resolve("network.sh").toString(), command)
                    .inheritIO().start();
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("network.sh " + command + " failed; see its output above");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running network.sh " + command, e);
        }
    }
}
