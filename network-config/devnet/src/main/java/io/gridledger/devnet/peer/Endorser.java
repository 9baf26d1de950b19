package io.gridledger.devnet.peer;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.chaincode.ChaincodeConnection;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.chaincode.ChaincodeExecutionException;
import io.gridledger.devnet.ledger.state.TxSimulator;
import io.gridledger.devnet.ledger.state.WorldState;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.msp.SigningIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
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
 * <p>A chaincode that answers with status 400 or more gets a response with the payload but no endorsement, as
 * in Fabric; a proposal refused before simulation gets status 500 and a {@link Outcome#rejection()}.
 */
public final class Endorser {

    private static final Logger log = LoggerFactory.getLogger(Endorser.class);
    private static final int ERROR_THRESHOLD = 400;

    private final String channelId;
    private final SigningIdentity peer;
    private final IdentityDeserializer msps;
    private final WorldState state;
    private final Predicate<String> committed;
    private final Map<String, ChaincodeDefinition> definitions;
    private final Map<String, ChaincodeConnection> connections;

    public Endorser(String channelId, SigningIdentity peer, IdentityDeserializer msps, WorldState state,
                    Predicate<String> committed, Map<String, ChaincodeDefinition> definitions,
                    Map<String, ChaincodeConnection> connections) {
        this.channelId = channelId;
        this.peer = peer;
        this.msps = msps;
        this.state = state;
        this.committed = committed;
        this.definitions = Map.copyOf(definitions);
        this.connections = Map.copyOf(connections);
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

    public CompletableFuture<Outcome> process(SignedProposal signed) {
        UnpackedProposal proposal;
        try {
            proposal = UnpackedProposal.unpack(signed);
            check(proposal);
        } catch (UnpackedProposal.InvalidProposalException e) {
            return CompletableFuture.completedFuture(Outcome.rejected(e.getMessage()));
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
                        return endorse(proposal, definition, result.response(), result.event(), simulator);
                    } finally {
                        simulator.close();
                    }
                });
    }

    /** Fabric's {@code ProcessProposal} checks before simulation, with its messages. */
    private void check(UnpackedProposal proposal) throws UnpackedProposal.InvalidProposalException {
        if (!channelId.equals(proposal.channelId())) {
            throw new UnpackedProposal.InvalidProposalException("channel '" + proposal.channelId() + "' not found");
        }
        try {
            proposal.validate(msps);
        } catch (UnpackedProposal.InvalidProposalException e) {
            throw new UnpackedProposal.InvalidProposalException("error validating proposal: " + e.getMessage());
        }
        if (committed.test(proposal.txId())) {
            throw new UnpackedProposal.InvalidProposalException("duplicate transaction found [" + proposal.txId()
                    + "]. Creator [" + HexFormat.of().formatHex(proposal.creator().toByteArray()) + "]");
        }
        if (!definitions.containsKey(proposal.chaincodeName())) {
            throw new UnpackedProposal.InvalidProposalException("make sure the chaincode " + proposal.chaincodeName()
                    + " has been successfully defined on channel " + channelId + " and try again: chaincode "
                    + proposal.chaincodeName() + " not found");
        }
    }

    private Outcome endorse(UnpackedProposal proposal, ChaincodeDefinition definition, Response response,
                            Optional<org.hyperledger.fabric.protos.peer.ChaincodeEvent> event, TxSimulator simulator) {
        var action = ChaincodeAction.newBuilder()
                .setResults(simulator.results().toByteString())
                .setResponse(response)
                .setChaincodeId(ChaincodeID.newBuilder().setName(definition.name()).setVersion(definition.version()));
        event.ifPresent(e -> action.setEvents(e.toBuilder()
                .setChaincodeId(definition.name()).setTxId(proposal.txId()).build().toByteString()));
        var payload = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(proposal.proposalHash()))
                .setExtension(action.build().toByteString())
                .build().toByteString();
        var result = ProposalResponse.newBuilder().setVersion(1).setResponse(response).setPayload(payload);
        if (response.getStatus() < ERROR_THRESHOLD) {
            var endorser = peer.serialized();
            var signature = peer.sign(payload.concat(endorser).toByteArray());
            result.setEndorsement(Endorsement.newBuilder().setEndorser(endorser).setSignature(ByteString.copyFrom(signature)));
        }
        return new Outcome(result.build(), simulator.writtenKeys(), Optional.empty());
    }
}
