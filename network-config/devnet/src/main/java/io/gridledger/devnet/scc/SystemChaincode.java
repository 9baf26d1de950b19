package io.gridledger.devnet.scc;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * A system chaincode a devnet peer answers itself, as a Fabric peer runs {@code qscc}, {@code cscc} and
 * {@code _lifecycle} in its own process. Devnet's system chaincodes only read (the ledger, the channel
 * configuration, the chaincode definitions), so the endorser wraps their {@link Response} in a proposal response
 * with an empty read-write set and the chaincode id {@code <name>}/{@value #VERSION}, as Fabric's endorser does.
 *
 * <p>Like Fabric's, they report failure in the response (status 500, or 404 for {@code _lifecycle}'s "not
 * defined") with Fabric's messages, never by throwing.
 */
public sealed interface SystemChaincode permits Qscc, Cscc, Lifecycle {

    /** The version Fabric gives every system chaincode ({@code scc.SysCCVersion}). */
    String VERSION = "syscc";

    /** The chaincode name a proposal invokes, e.g. {@code qscc}. */
    String name();

    /** Runs one invocation; never throws for bad input. */
    Response invoke(Invocation invocation);

    /** The shim's {@code Success(payload)}. */
    static Response success(ByteString payload) {
        return Response.newBuilder().setStatus(200).setPayload(payload).build();
    }

    /** The shim's {@code Error(message)}: status 500. */
    static Response error(String message) {
        return Response.newBuilder().setStatus(500).setMessage(message).build();
    }
}
