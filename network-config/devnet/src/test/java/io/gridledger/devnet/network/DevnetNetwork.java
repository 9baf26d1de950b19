package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.Devnet;
import io.gridledger.devnet.DevnetConfig;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.orderer.BatchSettings;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.hyperledger.fabric.client.Commit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

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

    /** A Gateway SDK connection to {@code mspId}'s peer as its user {@code user} (Admin, User1, node1…). */
    public Gateway connect(String mspId, String user) {
        return connect(mspId, identity(mspId, devnet.crypto().userCertificate(mspId, user)),
                signer(devnet.crypto().userPrivateKey(mspId, user)));
    }

    public Gateway connect(String peerMspId, org.hyperledger.fabric.client.identity.Identity identity,
                           org.hyperledger.fabric.client.identity.Signer signer) {
        var channel = NettyChannelBuilder.forTarget(devnet.peerAddress(peerMspId)).usePlaintext().build();
        channels.add(channel);
        return gateway(channel, identity, signer);
    }

    /** The identity in a PEM certificate file, as the Gateway SDK reads it. */
    static X509Identity identity(String mspId, Path certificate) {
        try (var reader = Files.newBufferedReader(certificate)) {
            return new X509Identity(mspId, Identities.readX509Certificate(reader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signer with the private key in a PEM file. */
    static org.hyperledger.fabric.client.identity.Signer signer(Path privateKey) {
        try (var reader = Files.newBufferedReader(privateKey)) {
            return Signers.newPrivateKeySigner(Identities.readPrivateKey(reader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A commit status request for any transaction id, signed as the gateway's identity: how a client asks about a
     * transaction it did not submit through this {@link Gateway} (or has not submitted yet).
     */
    public static Commit commitOf(Gateway gateway, String channelName, String txId) {
        var identity = SerializedIdentity.newBuilder().setMspid(gateway.getIdentity().getMspId())
                .setIdBytes(ByteString.copyFrom(gateway.getIdentity().getCredentials())).build();
        var request = CommitStatusRequest.newBuilder().setChannelId(channelName).setTransactionId(txId)
                .setIdentity(identity.toByteString()).build();
        return gateway.newCommit(SignedCommitStatusRequest.newBuilder().setRequest(request.toByteString()).build()
                .toByteArray());
    }

    /** A Gateway on {@code channel} with the deadlines every devnet test uses. */
    static Gateway gateway(ManagedChannel channel, org.hyperledger.fabric.client.identity.Identity identity,
                           org.hyperledger.fabric.client.identity.Signer signer) {
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
