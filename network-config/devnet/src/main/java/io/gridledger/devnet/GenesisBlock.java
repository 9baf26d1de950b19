package io.gridledger.devnet;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.msp.CryptoMaterial;
import io.gridledger.devnet.msp.SigningIdentity;
import io.gridledger.devnet.policy.ChannelConfigEncoder;
import io.gridledger.devnet.policy.ChannelDefinition;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * Block 0 of a devnet channel: a CONFIG transaction holding the whole channel configuration configtxgen would write
 * for the channel's configtx.yaml profile ({@link ChannelConfigEncoder}), with the MSPs and Raft consenters of the
 * identities devnet generated, signed by the orderer.
 */
final class GenesisBlock {

    private GenesisBlock() {
    }

    /**
     * @param channel   the channel as the profile defines it, fitted to devnet's member orgs
     * @param fabricDir the folder of configtx.yaml, against which it names files (consenters' TLS certificates)
     * @param crypto    devnet's identities, in cryptogen's layout: the same files under its root
     */
    static Block create(ChannelDefinition channel, Path fabricDir, CryptoMaterial crypto, SigningIdentity orderer) {
        var folder = fabricDir.toAbsolutePath().normalize();
        var channelGroup = ChannelConfigEncoder.channelGroup(channel,
                org -> crypto.layout().orgMspDir(crypto.org(org.mspId())),
                file -> crypto.layout().root().resolve(folder.relativize(file.toAbsolutePath().normalize())));
        var config = Config.newBuilder().setSequence(0).setChannelGroup(channelGroup).build();
        var channelId = channel.channelName();
        var now = Instant.now();
        var nonce = new byte[24];
        new SecureRandom().nextBytes(nonce);
        var header = Header.newBuilder()
                .setChannelHeader(ChannelHeader.newBuilder().setType(HeaderType.CONFIG_VALUE).setChannelId(channelId)
                        .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                        .build().toByteString())
                .setSignatureHeader(SignatureHeader.newBuilder().setCreator(orderer.serialized())
                        .setNonce(ByteString.copyFrom(nonce)).build().toByteString());
        var payload = Payload.newBuilder().setHeader(header)
                .setData(ConfigEnvelope.newBuilder().setConfig(config).build().toByteString()).build().toByteString();
        var envelope = Envelope.newBuilder().setPayload(payload)
                .setSignature(ByteString.copyFrom(orderer.sign(payload.toByteArray()))).build();
        return Blocks.sign(Blocks.create(0, new byte[0], List.of(envelope)), orderer, 0);
    }
}
