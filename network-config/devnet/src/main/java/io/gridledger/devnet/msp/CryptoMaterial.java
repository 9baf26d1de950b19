package io.gridledger.devnet.msp;

import io.gridledger.devnet.msp.CryptoConfig.Org;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;

/**
 * The identities {@link CryptoGenerator} wrote for a {@link CryptoConfig}, looked up by MSP ID and name: what devnet
 * signs with (peers, orderers), what it verifies against (org MSPs) and the files clients load (user certificates,
 * keys, TLS CAs).
 *
 * <pre>{@code
 * LocalSigningIdentity peer = material.nodeIdentity("Org1MSP", "peer0");
 * ChannelMsps channel = material.channelMsps();
 * Path cert = material.userCertificate("Org1MSP", "User1");   // for the Gateway SDK
 * }</pre>
 */
public final class CryptoMaterial {

    private final CryptoConfig config;
    private final CryptoLayout layout;

    public CryptoMaterial(CryptoConfig config, CryptoLayout layout) {
        this.config = Objects.requireNonNull(config, "config");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    public CryptoConfig config() {
        return config;
    }

    public CryptoLayout layout() {
        return layout;
    }

    /** @throws IllegalArgumentException for an MSP ID the config does not have */
    public Org org(String mspId) {
        return config.org(mspId).orElseThrow(() -> new IllegalArgumentException("unknown MSP ID '" + mspId + "'"));
    }

    /** The folder of a peer or orderer by hostname ({@code peer0}) or common name. */
    public Path nodeDir(String mspId, String node) {
        var org = org(mspId);
        return layout.nodeDir(org, org.node(node).orElseThrow(() ->
                new IllegalArgumentException(mspId + " has no node '" + node + "'")));
    }

    /** The folder of a user by short name ({@code Admin}, {@code User1}, {@code node1}) or full name ({@code Admin@<domain>}). */
    public Path userDir(String mspId, String user) {
        var org = org(mspId);
        var name = user.contains("@") ? user : user + "@" + org.domain();
        return layout.userDir(org, name);
    }

    public LocalSigningIdentity nodeIdentity(String mspId, String node) {
        return MspDirectory.signingIdentity(CryptoLayout.mspDir(nodeDir(mspId, node)), mspId);
    }

    public LocalSigningIdentity userIdentity(String mspId, String user) {
        return MspDirectory.signingIdentity(CryptoLayout.mspDir(userDir(mspId, user)), mspId);
    }

    /** The user's enrollment certificate, e.g. for {@code Identities.readX509Certificate}. */
    public Path userCertificate(String mspId, String user) {
        return CryptoLayout.signCertFile(userDir(mspId, user));
    }

    /** The user's private key, e.g. for {@code Identities.readPrivateKey}. */
    public Path userPrivateKey(String mspId, String user) {
        return CryptoLayout.privateKeyFile(userDir(mspId, user));
    }

    /** The org's TLS CA certificate, which clients trust to reach the org's nodes. */
    public Path tlsCaCertificate(String mspId) {
        return layout.tlsCaCertFile(org(mspId));
    }

    public OrgMsp orgMsp(String mspId) {
        return MspDirectory.orgMsp(layout.orgMspDir(org(mspId)), mspId);
    }

    /** The MSPs of every org of the config, orderer orgs included. */
    public ChannelMsps channelMsps() {
        return channelMsps(config.orgs().stream().map(Org::mspId).toList());
    }

    public ChannelMsps channelMsps(Collection<String> mspIds) {
        return new ChannelMsps(mspIds.stream().map(this::orgMsp).toList());
    }
}
