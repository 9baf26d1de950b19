package io.gridledger.devnet.peer;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

import java.util.List;

/** gRPC errors the way Fabric's gateway builds them: a status code, a message and {@link ErrorDetail}s per peer. */
final class RpcErrors {

    private RpcErrors() {
    }

    static StatusRuntimeException error(Status.Code code, String message, List<ErrorDetail> details) {
        var status = com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message);
        details.forEach(d -> status.addDetails(Any.pack(d)));
        return StatusProto.toStatusRuntimeException(status.build());
    }

    static StatusRuntimeException error(Status.Code code, String message) {
        return error(code, message, List.of());
    }

    static ErrorDetail detail(PeerNode peer, String message) {
        return ErrorDetail.newBuilder().setAddress(peer.address()).setMspId(peer.mspId()).setMessage(message).build();
    }
}
