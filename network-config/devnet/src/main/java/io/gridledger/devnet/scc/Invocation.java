package io.gridledger.devnet.scc;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.peer.SignedProposal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One invocation of a system chaincode: what its stub would offer in Fabric.
 *
 * @param channelId      the proposal's channel; empty for a channel-less proposal (the peer CLI's
 *                       {@code peer channel getinfo} and {@code peer channel list} send those)
 * @param args           the chaincode input's arguments, the function name first
 * @param signedProposal the proposal as the client signed it, for access control
 * @param creator        the proposal creator's serialized identity
 */
public record Invocation(String channelId, List<ByteString> args, SignedProposal signedProposal, ByteString creator) {

    public Invocation {
        Objects.requireNonNull(channelId, "channelId");
        args = List.copyOf(args);
        Objects.requireNonNull(signedProposal, "signedProposal");
        Objects.requireNonNull(creator, "creator");
    }

    /** Argument {@code index} as Go's {@code string(args[index])} reads it. */
    String text(int index) {
        return new String(args.get(index).toByteArray(), StandardCharsets.UTF_8);
    }
}
