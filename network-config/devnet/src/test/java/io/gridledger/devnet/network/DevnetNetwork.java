package io.gridledger.devnet.network;

import io.gridledger.devnet.Devnet;
import io.gridledger.devnet.DevnetConfig;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.orderer.BatchSettings;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.hyperledger.fabric.client.Gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A devnet of three orgs hosting the GridLedger chaincode, and Fabric Gateway SDK connections to it as any of its
 * users ({@link FabricNetwork}). Ports are ephemeral; the data directory is kept so a test can stop and start the same network.
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

    public static DevnetNetwork start(Path dataDir) {
        var chaincode = ChaincodeProcess.shared();
        var definition = new ChaincodeDefinition("gridledger", "1.0", 1, "/Channel/Application/Endorsement", chaincode.address());
        var config = DevnetConfig.defaults(FABRIC_DIR, dataDir).withBasePort(0)
                .withBatch(new BatchSettings(Duration.ofMillis(100), 100, 2L << 20, 10L << 20))
                .withChaincodes(List.of(definition));
        try {
            var devnet = Devnet.start(config);
            devnet.awaitChaincodes(Duration.ofSeconds(60));
            return new DevnetNetwork(dataDir, devnet);
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

    @Override
    public Path userCertificate(String mspId, String user) {
        return devnet.crypto().userCertificate(mspId, user);
    }

    @Override
    public Path userPrivateKey(String mspId, String user) {
        return devnet.crypto().userPrivateKey(mspId, user);
    }

    @Override
    public Gateway connect(String peerMspId, org.hyperledger.fabric.client.identity.Identity identity,
                           org.hyperledger.fabric.client.identity.Signer signer) {
        var channel = NettyChannelBuilder.forTarget(devnet.peerAddress(peerMspId)).usePlaintext().build();
        channels.add(channel);
        return FabricNetwork.gateway(channel, identity, signer);
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        devnet.close();
    }
}
