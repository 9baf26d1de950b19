package io.gridledger.devnet;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.msp.CryptoMaterial;
import io.gridledger.devnet.msp.SigningIdentity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * Block 0 of a devnet channel: a CONFIG transaction whose channel group lists each member org under
 * {@code Application} with its MSP definition (name and root CA certificate), signed by the orderer.
 */
final class GenesisBlock {

    private GenesisBlock() {
    }

    static Block create(String channel, CryptoMaterial crypto, List<String> memberOrgs, SigningIdentity orderer) {
        var application = ConfigGroup.newBuilder().setModPolicy("Admins");
        for (var mspId : memberOrgs) {
            ByteString rootCert;
            try {
                rootCert = ByteString.copyFrom(Files.readAllBytes(crypto.layout().caCertFile(crypto.org(mspId))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var msp = MSPConfig.newBuilder().setType(0).setConfig(FabricMSPConfig.newBuilder()
                    .setName(mspId).addRootCerts(rootCert).build().toByteString());
            application.putGroups(mspId, ConfigGroup.newBuilder().setModPolicy("Admins")
                    .putValues("MSP", ConfigValue.newBuilder().setModPolicy("Admins").setValue(msp.build().toByteString()).build())
                    .build());
        }
        var config = Config.newBuilder().setSequence(0).setChannelGroup(ConfigGroup.newBuilder()
                .putGroups("Application", application.build())).build();
        var now = Instant.now();
        var nonce = new byte[24];
        new SecureRandom().nextBytes(nonce);
        var header = Header.newBuilder()
                .setChannelHeader(ChannelHeader.newBuilder().setType(HeaderType.CONFIG_VALUE).setChannelId(channel)
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
