package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.Devnet;
import io.gridledger.devnet.DevnetConfig;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.msp.CryptoConfig;
import io.gridledger.devnet.orderer.BatchSettings;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Signer;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A devnet of three orgs hosting the GridLedger chaincode, one chaincode server per org ({@link ChaincodeProcess}),
 * and Fabric Gateway SDK connections to it as any of its users ({@link FabricNetwork}). Ports are ephemeral; the data directory is kept so a test can stop and start the same network.
 */
public final class DevnetNetwork implements FabricNetwork {

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
        return start(dataDir, UnaryOperator.identity());
    }

    /**
     * A devnet configured by {@code customize} from the test default: ephemeral ports, blocks cut every 100 ms or
     * 100 transactions ({@link #TEST_BATCH}), the GridLedger chaincode served by each member org's own shared
     * server ({@link #gridledger(List)}) unless the customiser names other chaincodes, no TLS. E.g.
     * {@code start(dir, config -> config.withTls(true))}.
     */
    public static DevnetNetwork start(Path dataDir, UnaryOperator<DevnetConfig> customize) {
        var config = customize.apply(DevnetConfig.defaults(FABRIC_DIR, dataDir).withBasePort(0).withBatch(TEST_BATCH));
        if (config.chaincodes().isEmpty()) {
            config = config.withChaincodes(List.of(gridledger(memberOrgs(config.fabricDir(), config.orgs()))));
        }
        try {
            var devnet = Devnet.start(config);
            devnet.awaitChaincodes(Duration.ofSeconds(60));
            return new DevnetNetwork(config.dataDir(), devnet);
        } catch (Exception e) {
            throw new IllegalStateException("devnet did not start: " + e.getMessage(), e);
        }
    }

    /** The GridLedger chaincode as the three orgs of {@link #FABRIC_DIR} host it: each dials its own org's server. */
    public static ChaincodeDefinition gridledger() {
        return gridledger(memberOrgs(FABRIC_DIR, 0));
    }

    /** The GridLedger chaincode, each org's peer dialling its org's {@link ChaincodeProcess#shared(String) shared} server. */
    public static ChaincodeDefinition gridledger(List<String> mspIds) {
        return new ChaincodeDefinition("gridledger", "1.0", 1, "/Channel/Application/Endorsement",
                ChaincodeProcess.sharedAddresses(mspIds));
    }

    /** The MSP IDs of a devnet's member orgs: crypto-config.yaml's in {@code fabricDir}, or {@code orgs} (> 0) of them. */
    public static List<String> memberOrgs(Path fabricDir, int orgs) {
        var crypto = CryptoConfig.load(fabricDir);
        if (orgs > 0) {
            crypto = crypto.withPeerOrgs(orgs);
        }
        return crypto.peerOrgs().stream().map(CryptoConfig.Org::mspId).toList();
    }

    public Devnet devnet() {
        return devnet;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Path userCertificate(String mspId, String user) {
        return devnet.crypto().userCertificate(mspId, user);
    }

    /** Like {@link #connect(String, String)}, with the user's signer wrapped by {@code decorate} (to count signatures, say). */
    public Gateway connect(String mspId, String user, UnaryOperator<Signer> decorate) {
        return connect(mspId, FabricNetwork.identity(mspId, userCertificate(mspId, user)),
                decorate.apply(FabricNetwork.signer(userPrivateKey(mspId, user))));
    }

    @Override
    public Path userPrivateKey(String mspId, String user) {
        return devnet.crypto().userPrivateKey(mspId, user);
    }

    @Override
    public Gateway connect(String peerMspId, org.hyperledger.fabric.client.identity.Identity identity,
                           Signer signer) {
        var builder = NettyChannelBuilder.forTarget(devnet.peerAddress(peerMspId));
        if (devnet.config().tls()) {
            try {
                builder.sslContext(GrpcSslContexts.forClient().trustManager(devnet.crypto().tlsCaCertificate(peerMspId).toFile()).build());
            } catch (SSLException e) {
                throw new IllegalStateException(e);
            }
        } else {
            builder.usePlaintext();
        }
        var channel = builder.build();
        channels.add(channel);
        return FabricNetwork.gateway(channel, identity, signer);
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        devnet.close();
    }
}
