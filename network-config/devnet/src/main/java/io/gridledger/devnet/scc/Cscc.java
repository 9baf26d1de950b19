package io.gridledger.devnet.scc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.blocks.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChannelInfo;
import org.hyperledger.fabric.protos.peer.ChannelQueryResponse;
import org.hyperledger.fabric.protos.peer.Response;

import java.util.Objects;

/**
 * Fabric's configuration system chaincode ({@code core/scc/cscc}), its read-only part:
 * <ul>
 *   <li>{@code GetConfigBlock(channel)} → the channel's latest config block, found through the last block's
 *       {@code LAST_CONFIG} metadata (devnet's channel has one: block 0);</li>
 *   <li>{@code GetChannelConfig(channel)} → the {@code common.Config} in that block: the full configuration
 *       configtxgen would write for the channel's profile (see {@code ChannelConfigEncoder});</li>
 *   <li>{@code GetChannels()} → {@code peer.ChannelQueryResponse} naming the one channel.</li>
 * </ul>
 * Joining channels ({@code JoinChain}, {@code JoinChainBySnapshot}, {@code JoinBySnapshotStatus}) is refused: a
 * devnet peer is on its channel from the start. Checks and messages follow Fabric: {@code Incorrect number of
 * arguments, 1}, ACL denials ({@code access denied for [GetConfigBlock][other]: Failed to get policy manager for
 * channel [other]}), {@code Requested function F not found.}
 */
public final class Cscc implements SystemChaincode {

    public static final String NAME = "cscc";

    private final ChannelLedger ledger;
    private final AccessControl access;

    public Cscc(ChannelLedger ledger, AccessControl access) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.access = Objects.requireNonNull(access, "access");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Response invoke(Invocation invocation) {
        var args = invocation.args();
        if (args.isEmpty()) {
            return SystemChaincode.error("Incorrect number of arguments, 0");
        }
        var function = invocation.text(0);
        if (!function.equals("GetChannels") && !function.equals("JoinBySnapshotStatus") && args.size() < 2) {
            return SystemChaincode.error("Incorrect number of arguments, " + args.size());
        }
        return switch (function) {
            case "JoinChain", "JoinChainBySnapshot", "JoinBySnapshotStatus" -> SystemChaincode.error(
                    "devnet does not support " + function + ": its peers are on channel " + ledger.channelId()
                            + " from the start");
            case "GetConfigBlock" -> {
                var channel = invocation.text(1);
                var denied = access.denial(NAME + "/GetConfigBlock", channel, invocation);
                if (denied.isPresent()) {
                    yield SystemChaincode.error("access denied for [" + function + "][" + channel + "]: " + denied.get());
                }
                yield channel.equals(ledger.channelId())
                        ? SystemChaincode.success(configBlock().toByteString())
                        : SystemChaincode.error("Unknown channel ID, " + channel);
            }
            case "GetChannelConfig" -> {
                var channel = invocation.text(1);
                if (channel.isEmpty()) {
                    yield SystemChaincode.error("empty channel name provided");
                }
                var denied = access.denial(NAME + "/GetChannelConfig", channel, invocation);
                if (denied.isPresent()) {
                    yield SystemChaincode.error("access denied for [" + function + "][" + channel + "]: " + denied.get());
                }
                yield channel.equals(ledger.channelId())
                        ? channelConfig()
                        : SystemChaincode.error("unknown channel ID, " + channel);
            }
            case "GetChannels" -> {
                var denied = access.denial(NAME + "/GetChannels", "", invocation);
                if (denied.isPresent()) {
                    yield SystemChaincode.error("access denied for [" + function + "]: " + denied.get());
                }
                yield SystemChaincode.success(ChannelQueryResponse.newBuilder()
                        .addChannels(ChannelInfo.newBuilder().setChannelId(ledger.channelId())).build().toByteString());
            }
            default -> SystemChaincode.error("Requested function " + function + " not found.");
        };
    }

    /** The block the last block names as the last config block (Fabric's {@code ConfigBlockFromLedger}). */
    private Block configBlock() {
        var blocks = ledger.blocks();
        var last = blocks.block(blocks.height() - 1).orElseThrow();
        return blocks.block(Blocks.lastConfigIndex(last)).orElseThrow();
    }

    private Response channelConfig() {
        try {
            var envelope = Envelope.parseFrom(configBlock().getData().getData(0));
            var config = ConfigEnvelope.parseFrom(Payload.parseFrom(envelope.getPayload()).getData()).getConfig();
            return SystemChaincode.success(config.toByteString());
        } catch (InvalidProtocolBufferException e) {
            return SystemChaincode.error("config block is malformed: " + e.getMessage());
        }
    }
}
