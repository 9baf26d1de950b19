package io.gridledger.devnet.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.chaincode.ChaincodeConnection;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.chaincode.ChaincodeExecutionException;
import io.gridledger.devnet.ledger.state.TxSimulator;
import io.gridledger.devnet.ledger.state.WorldState;
import io.gridledger.devnet.msp.Identity;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.msp.InvalidIdentityException;
import io.gridledger.devnet.msp.SigningIdentity;
import io.gridledger.devnet.scc.AccessControl;
import io.gridledger.devnet.scc.Invocation;
import io.gridledger.devnet.scc.SystemChaincode;
import io.gridledger.devnet.scc.SystemChaincodes;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * One peer's endorser ({@code ProcessProposal}): checks the proposal as Fabric's endorser does (well-formed,
 * for this channel, creator known to a channel MSP, creator's signature valid, transaction id bound to nonce and
 * creator, not already committed), simulates it on the chaincode, and signs the result with the peer's identity.
 *
 * <p>System chaincodes ({@code qscc}, {@code cscc}, {@code _lifecycle}: {@link SystemChaincodes}) are answered by the
 * peer itself and endorsed like any chaincode, with an empty read-write set and version
 * {@value SystemChaincode#VERSION}. As in Fabric, only they may be invoked without a channel (the peer CLI's
 * {@code peer channel getinfo} does): the creator must then belong to the peer's own org, and the response is not
 * endorsed.
 *
 * <p>As in Fabric, a response with status 500 or more carries the payload but no endorsement, one with status 400
 * to 499 neither; a proposal refused before simulation gets status 500 and a {@link Outcome#rejection()}.
 */
public final class Endorser {

    private static final Logger log = LoggerFactory.getLogger(Endorser.class);
    private static final int ERROR_THRESHOLD = 400;
    private static final int ERROR = 500;

    private final String channelId;
    private final SigningIdentity peer;
    private final IdentityDeserializer msps;
    private final WorldState state;
    private final Predicate<String> committed;
    private final Map<String, ChaincodeDefinition> definitions;
    private final Map<String, ChaincodeConnection> connections;
    private final SystemChaincodes systemChaincodes;

    public Endorser(String channelId, SigningIdentity peer, IdentityDeserializer msps, WorldState state,
                    Predicate<String> committed, Map<String, ChaincodeDefinition> definitions,
                    Map<String, ChaincodeConnection> connections, SystemChaincodes systemChaincodes) {
        this.channelId = channelId;
        this.peer = peer;
        this.msps = msps;
        this.state = state;
        this.committed = committed;
        this.definitions = Map.copyOf(definitions);
        this.connections = Map.copyOf(connections);
        this.systemChaincodes = Objects.requireNonNull(systemChaincodes, "systemChaincodes");
    }

    public String mspId() {
        return peer.mspId();
    }

    /**
     * The result of processing one proposal.
     *
     * @param response    what a Fabric peer would answer
     * @param writtenKeys the keys the simulation wrote, per namespace (empty when it did not run)
     * @param rejection   why the proposal was refused before simulation, if it was
     */
    public record Outcome(ProposalResponse response, Map<String, TreeSet<String>> writtenKeys, Optional<String> rejection) {

        static Outcome rejected(String message) {
            return new Outcome(ProposalResponse.newBuilder()
                    .setResponse(Response.newBuilder().setStatus(500).setMessage(message)).build(),
                    Map.of(), Optional.of(message));
        }

        public boolean endorsed() {
            return response.hasEndorsement();
        }
    }

    /** Whether this peer runs chaincode {@code name}: a system chaincode or one defined on the channel. */
    public boolean serves(String name) {
        return systemChaincodes.find(name).isPresent() || definitions.containsKey(name);
    }

    public CompletableFuture<Outcome> process(SignedProposal signed) {
        UnpackedProposal proposal;
        try {
            proposal = UnpackedProposal.unpack(signed);
            check(proposal);
        } catch (UnpackedProposal.InvalidProposalException e) {
            return CompletableFuture.completedFuture(Outcome.rejected(e.getMessage()));
        }
        var system = systemChaincodes.find(proposal.chaincodeName());
        if (system.isPresent()) {
            var invocation = new Invocation(proposal.channelId(), proposal.input().getArgsList(), signed, proposal.creator());
            var response = system.get().invoke(invocation);
            var id = ChaincodeID.newBuilder().setName(system.get().name()).setVersion(SystemChaincode.VERSION).build();
            return CompletableFuture.completedFuture(
                    respond(proposal, id, response, Optional.empty(), ByteString.EMPTY, Map.of()));
        }
        var definition = definitions.get(proposal.chaincodeName());
        var connection = connections.get(proposal.chaincodeName());
        var simulator = new TxSimulator(state, proposal.txId());
        return connection.execute(channelId, proposal.txId(), signed, proposal.input(), simulator)
                .handle((result, failure) -> {
                    try {
                        if (failure != null) {
                            var cause = failure instanceof CompletionException && failure.getCause() != null
                                    ? failure.getCause() : failure;
                            var message = cause instanceof ChaincodeExecutionException
                                    ? cause.getMessage() : String.valueOf(cause);
                            log.debug("simulation of {} failed: {}", proposal.txId(), message);
                            return new Outcome(ProposalResponse.newBuilder().setResponse(Response.newBuilder()
                                    .setStatus(500).setMessage("error in simulation: " + message)).build(),
                                    Map.of(), Optional.empty());
                        }
                        var id = ChaincodeID.newBuilder().setName(definition.name()).setVersion(definition.version()).build();
                        return respond(proposal, id, result.response(), result.event(),
                                simulator.results().toByteString(), simulator.writtenKeys());
                    } finally {
                        simulator.close();
                    }
                });
    }

    /** Fabric's {@code ProcessProposal} checks before simulation, with its messages. */
    private void check(UnpackedProposal proposal) throws UnpackedProposal.InvalidProposalException {
        // A channel-less proposal is checked against the peer's own org (its local MSP) and cannot be a transaction.
        boolean channelless = proposal.channelId().isEmpty();
        if (!channelless && !channelId.equals(proposal.channelId())) {
            throw new UnpackedProposal.InvalidProposalException("channel '" + proposal.channelId() + "' not found");
        }
        Identity creator;
        try {
            if (channelless) {
                requireLocalMsp(proposal.creator());
            }
            creator = proposal.validate(msps);
        } catch (InvalidIdentityException e) {
            log.warn("access denied to a channel-less proposal: {}", e.getMessage());
            throw new UnpackedProposal.InvalidProposalException(
                    "error validating proposal: access denied: channel [] creator org unknown, creator is malformed");
        } catch (UnpackedProposal.InvalidProposalException e) {
            throw new UnpackedProposal.InvalidProposalException("error validating proposal: " + e.getMessage());
        }
        if (!channelless && committed.test(proposal.txId())) {
            throw new UnpackedProposal.InvalidProposalException("duplicate transaction found [" + proposal.txId()
                    + "]. Creator [" + HexFormat.of().formatHex(proposal.creator().toByteArray()) + "]");
        }
        var name = proposal.chaincodeName();
        if (!channelless && systemChaincodes.find(name).isEmpty()) {
            // Fabric checks application chaincode proposals against the channel's Writers (ACL peer/Propose);
            // system chaincodes check their own resources.
            var denial = systemChaincodes.denial(AccessControl.PEER_PROPOSE, proposal.channelId(), creator);
            if (denial.isPresent()) {
                throw new UnpackedProposal.InvalidProposalException(denial.get());
            }
        }
        if (systemChaincodes.find(name).isEmpty() && (channelless || !definitions.containsKey(name))) {
            throw new UnpackedProposal.InvalidProposalException("make sure the chaincode " + name
                    + " has been successfully defined on channel " + proposal.channelId() + " and try again: chaincode "
                    + name + " not found");
        }
    }

    /** Fabric's local MSP deserializes only its own org's identities. */
    private void requireLocalMsp(ByteString creator) throws InvalidIdentityException {
        String mspId;
        try {
            mspId = SerializedIdentity.parseFrom(creator).getMspid();
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidIdentityException("could not deserialize a SerializedIdentity: " + e.getMessage(), e);
        }
        if (!mspId.equals(peer.mspId())) {
            throw new InvalidIdentityException("expected MSP ID " + peer.mspId() + ", received " + mspId);
        }
    }

    /**
     * The proposal response for a chaincode's answer, shaped as Fabric's endorser shapes it: status 500 or more, the
     * payload unsigned; 400 to 499, or a channel-less proposal, the response alone; otherwise signed by the peer.
     */
    private Outcome respond(UnpackedProposal proposal, ChaincodeID chaincode, Response response,
                            Optional<ChaincodeEvent> event, ByteString results, Map<String, TreeSet<String>> writtenKeys) {
        var action = ChaincodeAction.newBuilder()
                .setResults(results)
                .setResponse(response)
                .setChaincodeId(chaincode);
        event.ifPresent(e -> action.setEvents(e.toBuilder()
                .setChaincodeId(chaincode.getName()).setTxId(proposal.txId()).build().toByteString()));
        var payload = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(proposal.proposalHash()))
                .setExtension(action.build().toByteString())
                .build().toByteString();
        if (response.getStatus() >= ERROR) {
            return new Outcome(ProposalResponse.newBuilder().setResponse(response).setPayload(payload).build(),
                    writtenKeys, Optional.empty());
        }
        if (proposal.channelId().isEmpty() || response.getStatus() >= ERROR_THRESHOLD) {
            return new Outcome(ProposalResponse.newBuilder().setResponse(response).build(), writtenKeys, Optional.empty());
        }
        var endorser = peer.serialized();
        var signature = peer.sign(payload.concat(endorser).toByteArray());
        var result = ProposalResponse.newBuilder().setVersion(1).setResponse(response).setPayload(payload)
                .setEndorsement(Endorsement.newBuilder().setEndorser(endorser).setSignature(ByteString.copyFrom(signature)));
        return new Outcome(result.build(), writtenKeys, Optional.empty());
    }
}
