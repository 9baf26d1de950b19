package io.gridledger.devnet.network;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The {@link GatewayContract} against a devnet of three orgs in this JVM, with the chaincode jar in its own process;
 * peers serve TLS, as on a real network.
 */
class DevnetGatewayIT extends GatewayContract {

    @TempDir
    static Path dataDir;

    @Override
    protected FabricNetwork startNetwork() {
        return DevnetNetwork.start(dataDir, config -> config.withTls(true));
    }
}
