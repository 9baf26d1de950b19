package io.gridledger.devnet.network;

/**
 * The {@link GatewayContract} against a real Hyperledger Fabric 2.5 network brought up by
 * {@code network-config/fabric/network.sh} from Fabric's release binaries (or already running, with
 * {@code GRIDLEDGER_FABRIC_RUNNING=1}). It needs those binaries, so it runs only with {@code ./gridledger test-fabric}
 * (Maven profile {@code fabric-network}), never in the default build.
 */
class FabricNetworkIT extends GatewayContract {

    @Override
    protected FabricNetwork startNetwork() {
        return ScriptedFabricNetwork.start(DevnetNetwork.FABRIC_DIR);
    }
}
