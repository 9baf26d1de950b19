package io.gridledger.devnet.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.ledger.BlockFeed;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.EndorsementRequirements;
import io.gridledger.devnet.ledger.RequiredPolicies;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.ledger.state.VersionedValue;
import io.gridledger.devnet.msp.Identity;
import io.gridledger.devnet.orderer.Orderer;
import io.gridledger.devnet.scc.AccessControl;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;

import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The peer Gateway service ({@code gateway.Gateway}) of one devnet peer, following Fabric 2.5's gateway:
 * <ul>
 *   <li>Evaluate runs the proposal on one peer (the local one, or one of the requested orgs) and returns its result;</li>
 *   <li>Endorse runs it on the local peer first, works out from what it wrote which orgs must endorse (the chaincode
 *       policy, and the key-level policies of written keys), collects their endorsements, checks that every
 *       endorser produced the same result, and returns the unsigned transaction envelope;</li>
 *   <li>Submit hands the client-signed envelope to the orderer;</li>
 *   <li>CommitStatus waits for a transaction's validation code; ChaincodeEvents streams a chaincode's events of valid
 *       transactions, block by block, from a start block or after a given transaction.</li>
 * </ul>
 * Errors carry Fabric's gRPC codes, messages and per-peer {@link ErrorDetail}s, which the Fabric Gateway SDK turns
 * into {@code EndorseException}, {@code SubmitException} and so on.
 */
public final class GatewayServer extends GatewayGrpc.GatewayImplBase {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final PeerNode local;
    private final Map<String, PeerNode> peers;
    /** One endorsing identity per org, for planning; fixed for the gateway's life. */
    private final Map<String, Identity> peerIdentities;
    private final ChannelLedger ledger;
    private final Orderer orderer;
    private final AccessControl access;
    private final EndorsementRequirements requirements;
    /** Runs chaincode event feeds, and endorsement continuations that may block off the chaincode streams' threads. */
    private final ExecutorService streams;

    public GatewayServer(PeerNode local, List<PeerNode> peers, ChannelLedger ledger, Orderer orderer,
                         AccessControl access, EndorsementRequirements requirements, ExecutorService streams) {
        this.local = local;
        var byOrg = new LinkedHashMap<String, PeerNode>();
        peers.forEach(p -> byOrg.put(p.mspId(), p));
        this.peers = byOrg;
        var identities = new LinkedHashMap<String, Identity>();
        byOrg.forEach((org, peer) -> identities.put(org, peer.identity()));
        this.peerIdentities = Map.copyOf(identities);
        this.ledger = ledger;
        this.orderer = orderer;
        this.access = access;
        this.requirements = requirements;
        this.streams = streams;
    }

    @Override
    public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> response) {
        UnpackedProposal proposal;
        try {
            proposal = UnpackedProposal.unpackForChannel(request.getProposedTransaction());
        } catch (UnpackedProposal.InvalidProposalException e) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, "failed to unpack transaction proposal: " + e.getMessage()));
            return;
        }
        if (!ledger.channelId().equals(proposal.channelId())) {
            response.onError(RpcErrors.error(Status.Code.UNAVAILABLE, noChannelConfig(proposal.channelId())));
            return;
        }
        if (!local.endorser().serves(proposal.chaincodeName())) {
            // Fabric's gateway finds no peer that has the chaincode and says so with no error details.
            response.onError(RpcErrors.error(Status.Code.FAILED_PRECONDITION, "no peers available to evaluate chaincode "
                    + proposal.chaincodeName() + " in channel " + proposal.channelId()));
            return;
        }
        var candidates = new ArrayList<PeerNode>();
        if (request.getTargetOrganizationsCount() > 0) {
            for (var org : request.getTargetOrganizationsList()) {
                var peer = peers.get(org);
                if (peer == null) {
                    response.onError(RpcErrors.error(Status.Code.FAILED_PRECONDITION, "no peers available to evaluate chaincode "
                            + proposal.chaincodeName() + " in channel " + proposal.channelId() + " for organization " + org));
                    return;
                }
                candidates.add(peer);
            }
        } else {
            candidates.add(local);
            peers.values().stream().filter(p -> p != local).forEach(candidates::add);
        }
        evaluateOn(candidates, 0, request.getProposedTransaction(), new ArrayList<>(), response);
    }

    private void evaluateOn(List<PeerNode> candidates, int index, SignedProposal proposal, List<ErrorDetail> details,
                            StreamObserver<EvaluateResponse> response) {
        if (index >= candidates.size()) {
            response.onError(RpcErrors.error(Status.Code.ABORTED, "failed to evaluate transaction, see attached details for more info", details));
            return;
        }
        var peer = candidates.get(index);
        // Async: the next candidate's simulation may wait for a commit; see endorse.
        peer.endorser().process(proposal).whenCompleteAsync((outcome, failure) -> {
            if (failure != null) {
                response.onError(RpcErrors.error(Status.Code.INTERNAL, String.valueOf(failure.getMessage())));
                return;
            }
            var verdict = Verdict.of(outcome);
            if (verdict.code == Status.Code.OK) {
                var result = outcome.response().getResponse().toBuilder();
                result.setPayload(chaincodeResult(outcome.response()));
                response.onNext(EvaluateResponse.newBuilder().setResult(result).build());
                response.onCompleted();
                return;
            }
            details.add(RpcErrors.detail(peer, verdict.message));
            if (verdict.retry) {
                evaluateOn(candidates, index + 1, proposal, details, response);
            } else {
                response.onError(RpcErrors.error(verdict.code, "evaluate call to endorser returned error: " + verdict.message, details));
            }
        }, streams);
    }

    @Override
    public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> response) {
        var signed = request.getProposedTransaction();
        if (signed.getProposalBytes().isEmpty()) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, "the proposed transaction must contain a signed proposal"));
            return;
        }
        UnpackedProposal proposal;
        try {
            proposal = UnpackedProposal.unpackForChannel(signed);
        } catch (UnpackedProposal.InvalidProposalException e) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, e.getMessage()));
            return;
        }
        // Fabric's gateway plans from the peers that gossip the chaincode on the channel (registry.go): a channel this
        // peer has not joined, or a chaincode not defined on it, leaves no peer to plan with.
        boolean served = ledger.channelId().equals(proposal.channelId()) && local.endorser().serves(proposal.chaincodeName());
        if (request.getEndorsingOrganizationsCount() > 0) {
            var chosen = new ArrayList<PeerNode>();
            var missing = new ArrayList<String>();
            for (var org : request.getEndorsingOrganizationsList()) {
                var peer = peers.get(org);
                if (peer == null || !served) {
                    missing.add(org);
                } else {
                    chosen.add(peer);
                }
            }
            if (!missing.isEmpty()) {
                response.onError(RpcErrors.error(Status.Code.UNAVAILABLE, "failed to find any endorsing peers for org(s): "
                        + String.join(", ", missing)));
                return;
            }
            collect(proposal, chosen, null, null, response);
            return;
        }
        if (!served) {
            // No local endorser, so the plan comes from discovery, which has no metadata for the chaincode on that
            // channel (discovery/endorsement/endorsement.go, wrapped by registry.endorsementPlan); no error details.
            response.onError(RpcErrors.error(Status.Code.FAILED_PRECONDITION, "no combination of peers can be derived which "
                    + "satisfy the endorsement policy: No metadata was found for chaincode " + proposal.chaincodeName()
                    + " in channel " + proposal.channelId()));
            return;
        }
        // The local outcome completes on the chaincode stream's delivery thread. The other orgs' simulations started
        // from here can wait while a commit waits for the running simulations (StampedLock queues readers behind a
        // waiting writer once 64 hold it), some of which need that same thread to receive their chaincode's next
        // message: continue elsewhere, or the peer stalls until the execute timeout (GatewayUnderCommitIT).
        local.endorser().process(signed).whenCompleteAsync((first, failure) -> {
            if (failure != null) {
                response.onError(RpcErrors.error(Status.Code.INTERNAL, String.valueOf(failure.getMessage())));
                return;
            }
            var verdict = Verdict.of(first);
            if (verdict.code != Status.Code.OK) {
                response.onError(RpcErrors.error(Status.Code.ABORTED, "failed to endorse transaction, see attached details for more info",
                        List.of(RpcErrors.detail(local, verdict.message))));
                return;
            }
            var chaincode = proposal.chaincodeName();
            var required = RequiredPolicies.of(first.writtenKeys().getOrDefault(chaincode, new java.util.TreeSet<>()),
                    key -> ledger.state().get(chaincode, key).flatMap(VersionedValue::validationParameter));
            var plan = requirements.plan(chaincode, required, peerIdentities, local.mspId());
            if (plan.isEmpty()) {
                response.onError(RpcErrors.error(Status.Code.FAILED_PRECONDITION, "no combination of peers can be derived which satisfy the endorsement policy of chaincode "
                        + proposal.chaincodeName() + " and the key-level policies of the keys it writes"));
                return;
            }
            var others = plan.get().stream().filter(org -> !org.equals(local.mspId())).map(peers::get).toList();
            collect(proposal, others, local, first, response);
        }, streams);
    }

    /** Collects endorsements from {@code endorsers} (plus an already obtained first one) and assembles the transaction. */
    private void collect(UnpackedProposal proposal, List<PeerNode> endorsers, PeerNode firstPeer, Endorser.Outcome first,
                         StreamObserver<EndorseResponse> response) {
        var futures = endorsers.stream().map(p -> p.endorser().process(proposal.signed())).toList();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
            var details = new ArrayList<ErrorDetail>();
            var endorsements = new ArrayList<Endorsement>();
            ByteString payload = null;
            var all = new ArrayList<Map.Entry<PeerNode, Endorser.Outcome>>();
            if (first != null) {
                all.add(Map.entry(firstPeer, first));
            }
            for (int i = 0; i < endorsers.size(); i++) {
                all.add(Map.entry(endorsers.get(i), futures.get(i).getNow(null)));
            }
            for (var entry : all) {
                var outcome = entry.getValue();
                if (outcome == null) {
                    details.add(RpcErrors.detail(entry.getKey(), "endorsement failed"));
                    continue;
                }
                var verdict = Verdict.of(outcome);
                if (verdict.code != Status.Code.OK) {
                    details.add(RpcErrors.detail(entry.getKey(), verdict.message));
                    continue;
                }
                if (payload == null) {
                    payload = outcome.response().getPayload();
                } else if (!payload.equals(outcome.response().getPayload())) {
                    details.add(RpcErrors.detail(entry.getKey(), "ProposalResponsePayloads do not match"));
                    continue;
                }
                endorsements.add(outcome.response().getEndorsement());
            }
            if (!details.isEmpty() || payload == null) {
                response.onError(RpcErrors.error(Status.Code.ABORTED,
                        "failed to collect enough transaction endorsements, see attached details for more info", details));
                return;
            }
            response.onNext(EndorseResponse.newBuilder().setPreparedTransaction(prepare(proposal, payload, endorsements)).build());
            response.onCompleted();
        });
    }

    private static Envelope prepare(UnpackedProposal proposal, ByteString responsePayload, List<Endorsement> endorsements) {
        var unique = new ArrayList<Endorsement>();
        var seen = new HashSet<ByteString>();
        endorsements.forEach(e -> {
            if (seen.add(e.getEndorser())) {
                unique.add(e);
            }
        });
        var actionPayload = ChaincodeActionPayload.newBuilder()
                .setChaincodeProposalPayload(proposal.payloadWithoutTransient().toByteString())
                .setAction(ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(responsePayload).addAllEndorsements(unique))
                .build();
        var transaction = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                .setHeader(proposal.header().getSignatureHeader())
                .setPayload(actionPayload.toByteString())).build();
        var payload = Payload.newBuilder().setHeader(proposal.header()).setData(transaction.toByteString()).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build();
    }

    @Override
    public void submit(SubmitRequest request, StreamObserver<SubmitResponse> response) {
        if (!request.hasPreparedTransaction()) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, "a prepared transaction is required"));
            return;
        }
        var envelope = request.getPreparedTransaction();
        if (envelope.getSignature().isEmpty()) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, "prepared transaction must be signed"));
            return;
        }
        if (!ledger.channelId().equals(request.getChannelId())) {
            response.onError(RpcErrors.error(Status.Code.FAILED_PRECONDITION, noChannelConfig(request.getChannelId())));
            return;
        }
        var result = orderer.broadcast(envelope);
        if (result.getStatus() == org.hyperledger.fabric.protos.common.Status.SUCCESS) {
            response.onNext(SubmitResponse.getDefaultInstance());
            response.onCompleted();
        } else if (result.getStatusValue() >= 400 && result.getStatusValue() < 500) {
            response.onError(RpcErrors.error(Status.Code.ABORTED, "received unsuccessful response from orderer: status="
                    + result.getStatus() + ", info=" + result.getInfo()));
        } else {
            response.onError(RpcErrors.error(Status.Code.UNAVAILABLE, "no orderers could successfully process transaction",
                    List.of(ErrorDetail.newBuilder().setAddress("devnet-orderer").setMspId("OrdererMSP")
                            .setMessage("received unsuccessful response from orderer: status=" + result.getStatus()
                                    + ", info=" + result.getInfo()).build())));
        }
    }

    @Override
    public void commitStatus(SignedCommitStatusRequest signed, StreamObserver<CommitStatusResponse> response) {
        if (signed.getRequest().isEmpty()) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, "a commit status request is required"));
            return;
        }
        CommitStatusRequest request;
        try {
            request = CommitStatusRequest.parseFrom(signed.getRequest());
        } catch (InvalidProtocolBufferException e) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, "invalid status request: " + e.getMessage()));
            return;
        }
        var denied = access.denialForSignedData(AccessControl.GATEWAY_COMMIT_STATUS, request.getChannelId(),
                request.getIdentity(), signed.getRequest(), signed.getSignature());
        if (denied.isPresent()) {
            response.onError(RpcErrors.error(Status.Code.PERMISSION_DENIED, denied.get()));
            return;
        }
        var future = ledger.commitStatus(request.getTransactionId());
        if (response instanceof ServerCallStreamObserver<CommitStatusResponse> call) {
            // The client giving up (cancel, deadline) cancels the wait, which the ledger then forgets.
            call.setOnCancelHandler(() -> future.cancel(false));
            if (call.isCancelled()) {
                future.cancel(false);
            }
        }
        future.whenComplete((status, failure) -> {
            if (failure != null) {
                return; // cancelled by the client
            }
            response.onNext(CommitStatusResponse.newBuilder().setResult(status.code()).setBlockNumber(status.blockNumber()).build());
            response.onCompleted();
        });
    }

    @Override
    public void chaincodeEvents(SignedChaincodeEventsRequest signed, StreamObserver<ChaincodeEventsResponse> response) {
        if (signed.getRequest().isEmpty()) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, "a chaincode events request is required"));
            return;
        }
        ChaincodeEventsRequest request;
        try {
            request = ChaincodeEventsRequest.parseFrom(signed.getRequest());
        } catch (InvalidProtocolBufferException e) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, "invalid chaincode events request: " + e.getMessage()));
            return;
        }
        var denied = access.denialForSignedData(AccessControl.GATEWAY_CHAINCODE_EVENTS, request.getChannelId(),
                request.getIdentity(), signed.getRequest(), signed.getSignature());
        if (denied.isPresent()) {
            response.onError(RpcErrors.error(Status.Code.PERMISSION_DENIED, denied.get()));
            return;
        }
        long start = ledger.height();
        var after = request.getAfterTransactionId();
        var afterLocation = after.isEmpty() ? java.util.Optional.<io.gridledger.devnet.ledger.TxStatus>empty() : ledger.status(after);
        if (afterLocation.isPresent()) {
            start = afterLocation.get().blockNumber();
        } else if (request.getStartPosition().getTypeCase() == SeekPosition.TypeCase.SPECIFIED) {
            start = request.getStartPosition().getSpecified().getNumber();
        } else if (request.getStartPosition().getTypeCase() != SeekPosition.TypeCase.NEXT_COMMIT
                && request.getStartPosition().getTypeCase() != SeekPosition.TypeCase.TYPE_NOT_SET) {
            response.onError(RpcErrors.error(Status.Code.INVALID_ARGUMENT, "invalid start position type: " + request.getStartPosition().getTypeCase()));
            return;
        }
        var chaincode = request.getChaincodeId();
        var passedAfter = new boolean[]{after.isEmpty() || afterLocation.isEmpty()};
        var call = (ServerCallStreamObserver<ChaincodeEventsResponse>) response;
        var feed = BlockFeed.start(ledger, start, Long.MAX_VALUE, block -> {
            if (call.isCancelled()) {
                return false;
            }
            var events = new ArrayList<ChaincodeEvent>();
            for (var event : validEvents(block)) {
                if (!passedAfter[0]) {
                    if (event.getTxId().equals(after)) {
                        passedAfter[0] = true;
                    }
                    continue;
                }
                if (event.getChaincodeId().equals(chaincode)) {
                    events.add(event);
                }
            }
            if (!events.isEmpty()) {
                synchronized (call) {
                    call.onNext(ChaincodeEventsResponse.newBuilder().addAllEvents(events)
                            .setBlockNumber(block.getHeader().getNumber()).build());
                }
            }
            return true;
        }, () -> { }, streams);
        call.setOnCancelHandler(feed::cancel);
    }

    /** The chaincode events of a block's valid transactions, in transaction order. */
    static List<ChaincodeEvent> validEvents(Block block) {
        var codes = Blocks.validationCodes(block);
        var events = new ArrayList<ChaincodeEvent>();
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            if (i >= codes.length || codes[i] != TxValidationCode.VALID_VALUE) {
                continue;
            }
            var tx = Envelopes.parse(block.getData().getData(i));
            if (tx.isEndorserTransaction()) {
                tx.action().event().filter(e -> !e.getEventName().isEmpty()).ifPresent(events::add);
            }
        }
        return events;
    }

    /**
     * Fabric's gateway on a channel its peer has not joined: discovery has no config for it
     * ({@code registry.connectChannelPeers}, {@code registry.config}).
     */
    private static String noChannelConfig(String channelId) {
        return "failed to get config for channel [" + channelId + "]: could not get last config for channel " + channelId;
    }

    /** The transaction result in a successful proposal response (the chaincode action's response payload). */
    private static ByteString chaincodeResult(ProposalResponse response) {
        try {
            var payload = ProposalResponsePayload.parseFrom(response.getPayload());
            return ChaincodeAction.parseFrom(payload.getExtension()).getResponse().getPayload();
        } catch (InvalidProtocolBufferException e) {
            log.warn("successful proposal response contained no transaction result: {}", e.getMessage());
            return response.getResponse().getPayload();
        }
    }

    /** How the gateway reacts to one peer's answer (Fabric's {@code responseStatus}). */
    private record Verdict(Status.Code code, String message, boolean retry) {
        static Verdict of(Endorser.Outcome outcome) {
            if (outcome.rejection().isPresent()) {
                return new Verdict(Status.Code.FAILED_PRECONDITION, outcome.rejection().get(), false);
            }
            var response = outcome.response().getResponse();
            if (response.getStatus() < 200 || response.getStatus() >= 400) {
                if (outcome.response().getPayload().isEmpty() && response.getStatus() == 500) {
                    return new Verdict(Status.Code.ABORTED, response.getMessage(), true);
                }
                return new Verdict(Status.Code.UNKNOWN, "chaincode response " + response.getStatus() + ", " + response.getMessage(), false);
            }
            return new Verdict(Status.Code.OK, "", false);
        }
    }
}
