package io.gridledger.chaincode;

import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

import java.net.InetSocketAddress;

/**
 * Starts the GridLedger chaincode in one of Fabric's two modes.
 *
 * <ul>
 *   <li><b>Chaincode as a service</b> when {@code CHAINCODE_SERVER_ADDRESS} is set ({@code host:port}):
 *       the shim's gRPC chaincode server listens there and the peer connects to it. The chaincode id
 *       comes from {@code CORE_CHAINCODE_ID_NAME}, as the shim expects.</li>
 *   <li><b>Peer-launched</b> otherwise: the classic mode where the peer starts the process with
 *       {@code --peerAddress} and the chaincode dials the peer.</li>
 * </ul>
 *
 * <pre>{@code
 * CHAINCODE_SERVER_ADDRESS=0.0.0.0:9999 CORE_CHAINCODE_ID_NAME=gridledger:1.0 \
 *   java -jar gridledger-chaincode.jar
 * }</pre>
 */
public final class ChaincodeMain {

    private ChaincodeMain() {
    }

    public static void main(String[] args) throws Exception {
        RefusalLogging.install();
        var serverAddress = System.getenv("CHAINCODE_SERVER_ADDRESS");
        if (serverAddress == null || serverAddress.isBlank()) {
            ContractRouter.main(args);
            return;
        }
        if (System.getenv("CORE_CHAINCODE_ID_NAME") == null) {
            throw new IllegalStateException("CORE_CHAINCODE_ID_NAME must be set with CHAINCODE_SERVER_ADDRESS");
        }
        var router = new ContractRouter(new String[0]);
        RefusalLogging.install(); // again, now that the shim has set its handlers up
        var properties = new ChaincodeServerProperties();
        properties.setServerAddress(parseAddress(serverAddress));
        var tlsKey = System.getenv("CHAINCODE_TLS_KEY_FILE");
        if (tlsKey != null && !tlsKey.isBlank()) {
            properties.setTlsEnabled(true);
            properties.setKeyFile(tlsKey);
            properties.setKeyCertChainFile(System.getenv("CHAINCODE_TLS_CERT_FILE"));
            properties.setTrustCertCollectionFile(System.getenv("CHAINCODE_TLS_CLIENT_CA_FILE"));
        }
        router.startRouterWithChaincodeServer(new NettyChaincodeServer(router, properties));
    }

    static InetSocketAddress parseAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("CHAINCODE_SERVER_ADDRESS must be host:port, got '" + hostPort + "'");
        }
        var host = hostPort.substring(0, colon);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        return new InetSocketAddress(host, port);
    }
}
