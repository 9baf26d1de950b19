package io.gridledger.devnet.msp;

import io.gridledger.devnet.msp.CryptoConfig.Node;
import io.gridledger.devnet.msp.CryptoConfig.Org;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where cryptogen puts each file under a root folder, so that tools written for a cryptogen tree (peer CLI scripts,
 * the Gateway SDK samples, network.sh) find devnet's material at the same paths:
 *
 * <pre>
 * organizations/peerOrganizations/org1.gridledger.example/
 *   ca/ca.org1.gridledger.example-cert.pem, ca/priv_sk
 *   tlsca/tlsca.org1.gridledger.example-cert.pem, tlsca/priv_sk
 *   msp/{cacerts,tlscacerts,config.yaml}
 *   peers/peer0.org1.gridledger.example/{msp,tls}
 *   users/{Admin,User1,node1}@org1.gridledger.example/{msp,tls}
 * </pre>
 *
 * An identity folder holds {@code msp/{cacerts,keystore/priv_sk,signcerts/<name>-cert.pem,tlscacerts,config.yaml}}
 * and {@code tls/{ca.crt,server.crt,server.key}} ({@code client.*} for users).
 */
public final class CryptoLayout {

    private final Path root;

    public CryptoLayout(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    public Path root() {
        return root;
    }

    /** {@code organizations/<peerOrganizations|ordererOrganizations>/<domain>}. */
    public Path orgDir(Org org) {
        return root.resolve("organizations").resolve(org.type().organizationsFolder()).resolve(org.domain());
    }

    /** The org's verifying MSP folder (what goes into the channel configuration). */
    public Path orgMspDir(Org org) {
        return orgDir(org).resolve("msp");
    }

    public Path caCertFile(Org org) {
        return orgDir(org).resolve("ca").resolve(caCertFileName(org));
    }

    public Path caKeyFile(Org org) {
        return orgDir(org).resolve("ca").resolve("priv_sk");
    }

    public Path tlsCaCertFile(Org org) {
        return orgDir(org).resolve("tlsca").resolve(tlsCaCertFileName(org));
    }

    public Path tlsCaKeyFile(Org org) {
        return orgDir(org).resolve("tlsca").resolve("priv_sk");
    }

    /** {@code peers/<common name>} or {@code orderers/<common name>}. */
    public Path nodeDir(Org org, Node node) {
        return orgDir(org).resolve(org.type().nodesFolder()).resolve(node.commonName());
    }

    /** {@code users/<name>}, where {@code name} is the full {@code Admin@<domain>}, {@code User1@<domain>}, … */
    public Path userDir(Org org, String name) {
        return orgDir(org).resolve("users").resolve(name);
    }

    /** {@code <identity dir>/msp}. */
    public static Path mspDir(Path identityDir) {
        return identityDir.resolve("msp");
    }

    /** {@code <identity dir>/msp/signcerts/<name>-cert.pem}, the identity's enrollment certificate. */
    public static Path signCertFile(Path identityDir) {
        return mspDir(identityDir).resolve("signcerts").resolve(identityDir.getFileName() + "-cert.pem");
    }

    /** {@code <identity dir>/msp/keystore/priv_sk}, the enrollment private key (PKCS#8 PEM). */
    public static Path privateKeyFile(Path identityDir) {
        return mspDir(identityDir).resolve("keystore").resolve("priv_sk");
    }

    /** {@code <identity dir>/tls/ca.crt}, the org's TLS CA certificate. */
    public static Path tlsCaFile(Path identityDir) {
        return identityDir.resolve("tls").resolve("ca.crt");
    }

    /** {@code tls/server.crt} for nodes, {@code tls/client.crt} for users. */
    public static Path tlsCertFile(Path identityDir) {
        return identityDir.resolve("tls").resolve(tlsPrefix(identityDir) + ".crt");
    }

    /** {@code tls/server.key} for nodes, {@code tls/client.key} for users. */
    public static Path tlsKeyFile(Path identityDir) {
        return identityDir.resolve("tls").resolve(tlsPrefix(identityDir) + ".key");
    }

    static String caCertFileName(Org org) {
        return "ca." + org.domain() + "-cert.pem";
    }

    static String tlsCaCertFileName(Org org) {
        return "tlsca." + org.domain() + "-cert.pem";
    }

    private static String tlsPrefix(Path identityDir) {
        var parent = identityDir.getParent();
        boolean user = parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("users");
        return user ? "client" : "server";
    }
}
