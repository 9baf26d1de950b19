package io.gridledger.devnet.peer;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * A peer's {@code protos.Endorser} service ({@code ProcessProposal}), for clients that collect endorsements
 * themselves (the {@code peer} CLI, Fabric's older SDKs). As on a Fabric peer, a refused or failed proposal is a
 * {@code ProposalResponse} with status 500 and the reason, not a gRPC error; only an endorsed one is signed.
 */
public final class EndorserServer extends EndorserGrpc.EndorserImplBase {

    private final Endorser endorser;

    public EndorserServer(Endorser endorser) {
        this.endorser = endorser;
    }

    @Override
    public void processProposal(SignedProposal proposal, StreamObserver<ProposalResponse> response) {
        endorser.process(proposal).whenComplete((outcome, failure) -> {
            if (failure != null) {
                response.onError(Status.INTERNAL.withDescription(String.valueOf(failure.getMessage())).asRuntimeException());
                return;
            }
            response.onNext(outcome.response());
            response.onCompleted();
        });
    }
}
