package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import org.hyperledger.fabric.client.Commit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Identity;
import org.hyperledger.fabric.client.identity.Signer;
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
import java.util.concurrent.TimeUnit;

/**
 * A running Fabric network hosting the GridLedger chaincode on channel {@value #CHANNEL}, with the three member
 * orgs of {@code network-config/fabric}: the devnet, or a real Fabric network started by {@code network.sh}.
 * {@link GatewayContract} runs the same tests against each.
 */
public interface FabricNetwork extends AutoCloseable {

    String CHANNEL = "gridledger";
    String CHAINCODE = "gridledger";

    /** {@code users/<user>@<domain>/msp/signcerts/…} of one of an org's users (Admin, User1, node1…). */
    Path userCertificate(String mspId, String user);

    /** The matching private key in {@code keystore/}. */
    Path userPrivateKey(String mspId, String user);

    /** A Gateway SDK connection to {@code peerMspId}'s peer with any identity and signer, forged ones included. */
    Gateway connect(String peerMspId, Identity identity, Signer signer);

    /** A Gateway SDK connection to {@code mspId}'s peer as its user {@code user}. */
    default Gateway connect(String mspId, String user) {
        return connect(mspId, identity(mspId, userCertificate(mspId, user)), signer(userPrivateKey(mspId, user)));
    }

    @Override
    void close();

    /** The identity in a PEM certificate file, as the Gateway SDK reads it. */
    static X509Identity identity(String mspId, Path certificate) {
        try (var reader = Files.newBufferedReader(certificate)) {
            return new X509Identity(mspId, Identities.readX509Certificate(reader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException("unreadable certificate " + certificate, e);
        }
    }

    /** A signer with the private key in a PEM file. */
    static Signer signer(Path privateKey) {
        try (var reader = Files.newBufferedReader(privateKey)) {
            return Signers.newPrivateKeySigner(Identities.readPrivateKey(reader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("unreadable private key " + privateKey, e);
        }
    }

    /**
     * A commit status request for any transaction id, signed as the gateway's identity: how a client asks about a
     * transaction it did not submit through this {@link Gateway} (or has not submitted yet).
     */
    static Commit commitOf(Gateway gateway, String channelName, String txId) {
        var identity = SerializedIdentity.newBuilder().setMspid(gateway.getIdentity().getMspId())
                .setIdBytes(ByteString.copyFrom(gateway.getIdentity().getCredentials())).build();
        var request = CommitStatusRequest.newBuilder().setChannelId(channelName).setTransactionId(txId)
                .setIdentity(identity.toByteString()).build();
        return gateway.newCommit(SignedCommitStatusRequest.newBuilder().setRequest(request.toByteString()).build()
                .toByteArray());
    }

    /** A Gateway over {@code channel} with the deadlines every test connection uses. */
    static Gateway gateway(Channel channel, Identity identity, Signer signer) {
        return Gateway.newInstance().identity(identity).signer(signer).hash(Hash.SHA256).connection(channel)
                .evaluateOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                .connect();
    }
}
