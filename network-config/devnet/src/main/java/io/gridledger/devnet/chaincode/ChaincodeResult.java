package io.gridledger.devnet.chaincode;

import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Response;

import java.util.Optional;

/** What a chaincode invocation completed with: its response and the event it set, if any. */
public record ChaincodeResult(Response response, Optional<ChaincodeEvent> event) {
}
