package io.gridledger.devnet.bench;

import org.hyperledger.fabric.metrics.Metrics;
import org.hyperledger.fabric.shim.ChaincodeBase;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.NettyChaincodeServer;
import org.hyperledger.fabric.traces.Traces;

import java.nio.charset.StandardCharsets;

/**
 * The smallest chaincode of the Fabric comparison workload ({@link FabricWorkload}): one function, {@code put(key,
 * value)}, that writes one key and reads nothing (a blind write), so that transactions with distinct keys never
 * conflict and what is measured is the network, not the contract. Built on the shim's {@link ChaincodeBase} (no
 * contract router, no JSON), run as chaincode-as-a-service as the GridLedger chaincode's {@code ChaincodeMain} runs:
 *
 * <pre>{@code
 * CHAINCODE_SERVER_ADDRESS=127.0.0.1:9999 CORE_CHAINCODE_ID_NAME=blindwrite:1.0 CORE_PEER_LOCALMSPID=Org1MSP \
 *   java -cp <devnet's test class path> io.gridledger.devnet.bench.BlindWriteChaincode
 * }</pre>
 */
public final class BlindWriteChaincode extends ChaincodeBase {

    /** The chaincode's name on the channel and its id ({@code name:version}) at the server. */
    static final String NAME = "blindwrite";
    static final String ID = NAME + ":1.0";
    static final String PUT = "put";

    @Override
    public Response init(ChaincodeStub stub) {
        return newSuccessResponse();
    }

    @Override
    public Response invoke(ChaincodeStub stub) {
        var function = stub.getFunction();
        var args = stub.getParameters();
        if (!PUT.equals(function)) {
            return newErrorResponse("unknown function '" + function + "': the only one is " + PUT + "(key, value)");
        }
        if (args.size() != 2 || args.get(0).isEmpty()) {
            return newErrorResponse(PUT + " takes a non-empty key and a value, got " + args.size() + " argument(s)");
        }
        stub.putState(args.get(0), args.get(1).getBytes(StandardCharsets.UTF_8));
        return newSuccessResponse();
    }

    /**
     * Serves as chaincode-as-a-service at {@code CHAINCODE_SERVER_ADDRESS} (the shim's {@code start} would dial a peer
     * instead), until the process is stopped.
     */
    public static void main(String[] args) throws Exception {
        if (System.getenv("CHAINCODE_SERVER_ADDRESS") == null || System.getenv("CORE_CHAINCODE_ID_NAME") == null) {
            throw new IllegalStateException("set CHAINCODE_SERVER_ADDRESS (host:port) and CORE_CHAINCODE_ID_NAME (" + ID + ")");
        }
        // What the shim's start does before it would dial the peer (the contract router's constructor does the same).
        var chaincode = new BlindWriteChaincode();
        chaincode.processEnvironmentOptions();
        chaincode.processCommandLineOptions(args);
        chaincode.initializeLogging();
        var config = chaincode.getChaincodeConfig();
        Metrics.initialize(config);
        Traces.initialize(config);
        new NettyChaincodeServer(chaincode, chaincode.getChaincodeServerConfig()).start();
    }
}
