package io.gridledger.devnet.network;

import io.grpc.Channel;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Identity;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

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
        try (var certificate = Files.newBufferedReader(userCertificate(mspId, user));
             var key = Files.newBufferedReader(userPrivateKey(mspId, user))) {
            return connect(mspId, new X509Identity(mspId, Identities.readX509Certificate(certificate)),
                    Signers.newPrivateKeySigner(Identities.readPrivateKey(key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException | InvalidKeyException e) {
            throw new IllegalStateException("unreadable identity " + user + " of " + mspId, e);
        }
    }

    @Override
    void close();

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
