package io.gridledger.devnet.network;

import io.gridledger.devnet.Devnet;
import io.gridledger.devnet.DevnetConfig;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.orderer.BatchSettings;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A devnet of three orgs hosting the GridLedger chaincode, and Fabric Gateway SDK connections to it as any of its
 * users. Ports are ephemeral; the data directory is kept so a test can stop and start the same network.
 */
public final class DevnetNetwork implements AutoCloseable {

    public static final Path FABRIC_DIR = Path.of("../fabric").toAbsolutePath().normalize();

    private final Path dataDir;
    private final Devnet devnet;
    private final List<ManagedChannel> channels = new ArrayList<>();

    private DevnetNetwork(Path dataDir, Devnet devnet) {
        this.dataDir = dataDir;
        this.devnet = devnet;
    }

    /** The batch settings of {@link #start(Path)}: blocks cut after 100 ms or 100 transactions. */
    public static final BatchSettings TEST_BATCH = new BatchSettings(Duration.ofMillis(100), 100, 2L << 20, 10L << 20);

    public static DevnetNetwork start(Path dataDir) {
        return start(dataDir, TEST_BATCH);
    }

    /** A network whose orderer cuts blocks by {@code batch} instead of {@link #TEST_BATCH}. */
    public static DevnetNetwork start(Path dataDir, BatchSettings batch) {
        var chaincode = ChaincodeProcess.shared();
        var definition = new ChaincodeDefinition("gridledger", "1.0", 1, "/Channel/Application/Endorsement", chaincode.address());
        return start(DevnetConfig.defaults(FABRIC_DIR, dataDir).withBasePort(0)
                .withBatch(batch)
                .withChaincodes(List.of(definition)));
    }

    /** A network of any configuration, e.g. hosting a scripted chaincode; returns once its chaincodes are ready. */
    public static DevnetNetwork start(DevnetConfig config) {
        try {
            var devnet = Devnet.start(config);
            devnet.awaitChaincodes(Duration.ofSeconds(60));
            return new DevnetNetwork(config.dataDir(), devnet);
        } catch (Exception e) {
            throw new IllegalStateException("devnet did not start: " + e.getMessage(), e);
        }
    }

    public Devnet devnet() {
        return devnet;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A Gateway SDK connection to {@code mspId}'s peer as its user {@code user} (Admin, User1, node1…). */
    public Gateway connect(String mspId, String user) {
        return connect(mspId, user, UnaryOperator.identity());
    }

    /** Like {@link #connect(String, String)}, with the user's signer wrapped by {@code decorate} (to count signatures, say). */
    public Gateway connect(String mspId, String user, UnaryOperator<Signer> decorate) {
        try {
            var certificate = Identities.readX509Certificate(Files.newBufferedReader(devnet.crypto().userCertificate(mspId, user)));
            var key = Identities.readPrivateKey(Files.newBufferedReader(devnet.crypto().userPrivateKey(mspId, user)));
            return connect(mspId, new X509Identity(mspId, certificate), decorate.apply(Signers.newPrivateKeySigner(key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    public Gateway connect(String peerMspId, org.hyperledger.fabric.client.identity.Identity identity,
                           Signer signer) {
        var channel = NettyChannelBuilder.forTarget(devnet.peerAddress(peerMspId)).usePlaintext().build();
        channels.add(channel);
        return Gateway.newInstance().identity(identity).signer(signer).hash(Hash.SHA256).connection(channel)
                .evaluateOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                .connect();
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        devnet.close();
    }
}
