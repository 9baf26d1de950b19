package io.gridledger.devnet.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Capability;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.msp.FabricCryptoConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ChannelRestrictions;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;
import org.hyperledger.fabric.protos.orderer.etcdraft.Options;
import org.hyperledger.fabric.protos.peer.AnchorPeer;
import org.hyperledger.fabric.protos.peer.AnchorPeers;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The channel configuration ({@code /Channel} group) that Fabric 2.5's configtxgen writes into a channel's genesis
 * block for a profile of {@code configtx.yaml} ({@code internal/configtxgen/encoder}): the channel's policies,
 * HashingAlgorithm, BlockDataHashingStructure, OrdererAddresses and Capabilities; the {@code Orderer} group with
 * BatchSize, BatchTimeout, ChannelRestrictions, Capabilities, ConsensusType (with the Raft consenters' TLS
 * certificates and options) and one group per orderer org (MSP, Endpoints); the {@code Application} group with its
 * Capabilities and one group per member org (MSP, AnchorPeers). Every value and policy has mod policy {@code Admins},
 * but OrdererAddresses ({@code /Channel/Orderer/Admins}). An org's MSP is read from its MSP folder as Fabric's
 * {@code msp.GetVerifyingMspConfig} reads it.
 *
 * <pre>{@code
 * ConfigGroup channel = ChannelConfigEncoder.channelGroup(ConfigTx.read(configtx, "GridLedgerChannel", "gridledger"),
 *         org -> org.mspDir(), path -> path);
 * }</pre>
 */
public final class ChannelConfigEncoder {

    static final String ADMINS = "Admins";
    private static final String ORDERER_ADMINS = "/Channel/Orderer/Admins";

    private ChannelConfigEncoder() {
    }

    /**
     * @param channel the profile, as {@link ConfigTx} read it
     * @param mspDir  where an org's MSP folder is (configtx.yaml's {@code MSPDir}, or where devnet generated it)
     * @param file    where a file configtx.yaml names (a consenter's TLS certificate) is
     */
    public static ConfigGroup channelGroup(ChannelDefinition channel, Function<ChannelDefinition.Organization, Path> mspDir,
                                           Function<Path, Path> file) {
        var group = ConfigGroup.newBuilder().setModPolicy(ADMINS);
        policies(group, channel.channelPolicies());
        value(group, "HashingAlgorithm", HashingAlgorithm.newBuilder().setName("SHA256").build(), ADMINS);
        // math.MaxUint32: the only width Fabric accepts
        value(group, "BlockDataHashingStructure", BlockDataHashingStructure.newBuilder().setWidth(-1).build(), ADMINS);
        var orderer = channel.orderer();
        if (!orderer.addresses().isEmpty()) {
            value(group, "OrdererAddresses", OrdererAddresses.newBuilder().addAllAddresses(orderer.addresses()).build(),
                    ORDERER_ADMINS);
        }
        capabilities(group, channel.channelCapabilities());
        group.putGroups("Orderer", ordererGroup(orderer, mspDir, file));
        group.putGroups("Application", applicationGroup(channel, mspDir));
        return group.build();
    }

    private static ConfigGroup ordererGroup(ChannelDefinition.Orderer orderer,
                                            Function<ChannelDefinition.Organization, Path> mspDir,
                                            Function<Path, Path> file) {
        var group = ConfigGroup.newBuilder().setModPolicy(ADMINS);
        policies(group, orderer.policies());
        var size = orderer.batchSize();
        value(group, "BatchSize", BatchSize.newBuilder().setMaxMessageCount((int) size.maxMessageCount())
                .setAbsoluteMaxBytes((int) size.absoluteMaxBytes()).setPreferredMaxBytes((int) size.preferredMaxBytes())
                .build(), ADMINS);
        value(group, "BatchTimeout", BatchTimeout.newBuilder().setTimeout(goDuration(orderer.batchTimeout())).build(), ADMINS);
        value(group, "ChannelRestrictions", ChannelRestrictions.getDefaultInstance(), ADMINS);
        capabilities(group, orderer.capabilities());
        var consensus = ConsensusType.newBuilder().setType(orderer.type());
        orderer.etcdRaft().ifPresent(raft -> consensus.setMetadata(raftMetadata(raft, file).toByteString()));
        value(group, "ConsensusType", consensus.build(), ADMINS);
        for (var org : orderer.organizations()) {
            var orgGroup = orgGroup(org, mspDir.apply(org));
            if (!org.ordererEndpoints().isEmpty()) {
                value(orgGroup, "Endpoints", OrdererAddresses.newBuilder().addAllAddresses(org.ordererEndpoints()).build(),
                        ADMINS);
            }
            group.putGroups(org.name(), orgGroup.build());
        }
        return group.build();
    }

    private static ConfigGroup applicationGroup(ChannelDefinition channel,
                                                Function<ChannelDefinition.Organization, Path> mspDir) {
        var group = ConfigGroup.newBuilder().setModPolicy(ADMINS);
        policies(group, channel.applicationPolicies());
        capabilities(group, channel.applicationCapabilities());
        for (var org : channel.applicationOrgs()) {
            var orgGroup = orgGroup(org, mspDir.apply(org));
            if (!org.anchorPeers().isEmpty()) {
                var peers = AnchorPeers.newBuilder();
                org.anchorPeers().forEach(p -> peers.addAnchorPeers(AnchorPeer.newBuilder().setHost(p.host()).setPort(p.port())));
                value(orgGroup, "AnchorPeers", peers.build(), ADMINS);
            }
            group.putGroups(org.name(), orgGroup.build());
        }
        return group.build();
    }

    private static ConfigGroup.Builder orgGroup(ChannelDefinition.Organization org, Path mspDir) {
        var group = ConfigGroup.newBuilder().setModPolicy(ADMINS);
        policies(group, org.policies());
        value(group, "MSP", verifyingMspConfig(mspDir, org.mspId()), ADMINS);
        return group;
    }

    /** configtxgen's {@code MarshalEtcdRaftMetadata}: the consenters with their certificate files' bytes. */
    private static ConfigMetadata raftMetadata(ChannelDefinition.EtcdRaft raft, Function<Path, Path> file) {
        var metadata = ConfigMetadata.newBuilder();
        for (var consenter : raft.consenters()) {
            metadata.addConsenters(Consenter.newBuilder().setHost(consenter.endpoint().host())
                    .setPort(consenter.endpoint().port())
                    .setClientTlsCert(ByteString.copyFrom(read(file.apply(consenter.clientTlsCert()))))
                    .setServerTlsCert(ByteString.copyFrom(read(file.apply(consenter.serverTlsCert())))));
        }
        metadata.setOptions(Options.newBuilder().setTickInterval(raft.tickInterval()).setElectionTick(raft.electionTick())
                .setHeartbeatTick(raft.heartbeatTick()).setMaxInflightBlocks(raft.maxInflightBlocks())
                .setSnapshotIntervalSize((int) raft.snapshotIntervalSize()));
        return metadata.build();
    }

    /**
     * Fabric's {@code msp.GetVerifyingMspConfig}: an org's MSP as a channel holds it (certificates as their files'
     * bytes, in file name order; no signing identity), from {@code cacerts}, {@code admincerts},
     * {@code intermediatecerts}, {@code tlscacerts}, {@code tlsintermediatecerts}, {@code crls} and {@code config.yaml}.
     */
    public static MSPConfig verifyingMspConfig(Path dir, String mspId) {
        var config = FabricMSPConfig.newBuilder().setName(mspId);
        var rootCerts = pemFiles(dir.resolve("cacerts"));
        if (rootCerts.isEmpty()) {
            throw new IllegalArgumentException("could not load a valid ca certificate from directory " + dir.resolve("cacerts"));
        }
        config.addAllRootCerts(rootCerts);
        config.addAllAdmins(pemFiles(dir.resolve("admincerts")));
        config.addAllIntermediateCerts(pemFiles(dir.resolve("intermediatecerts")));
        var tlsRootCerts = pemFiles(dir.resolve("tlscacerts"));
        config.addAllTlsRootCerts(tlsRootCerts);
        if (!tlsRootCerts.isEmpty()) {
            config.addAllTlsIntermediateCerts(pemFiles(dir.resolve("tlsintermediatecerts")));
        }
        config.addAllRevocationList(pemFiles(dir.resolve("crls")));
        var configFile = dir.resolve("config.yaml");
        if (Files.exists(configFile)) {
            Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(read(configFile),
                    StandardCharsets.UTF_8));
            if (yaml != null) {
                for (Object entry : list(yaml.get("OrganizationalUnitIdentifiers"))) {
                    var identifier = map(entry);
                    config.addOrganizationalUnitIdentifiers(FabricOUIdentifier.newBuilder()
                            .setCertificate(ByteString.copyFrom(read(dir.resolve(string(identifier.get("Certificate"))))))
                            .setOrganizationalUnitIdentifier(string(identifier.get("OrganizationalUnitIdentifier"))));
                }
                var nodeOus = map(yaml.get("NodeOUs"));
                if (Boolean.TRUE.equals(nodeOus.get("Enable"))) {
                    var ous = FabricNodeOUs.newBuilder().setEnable(true);
                    nodeOu(dir, nodeOus.get("ClientOUIdentifier")).ifPresent(ous::setClientOuIdentifier);
                    nodeOu(dir, nodeOus.get("PeerOUIdentifier")).ifPresent(ous::setPeerOuIdentifier);
                    nodeOu(dir, nodeOus.get("AdminOUIdentifier")).ifPresent(ous::setAdminOuIdentifier);
                    nodeOu(dir, nodeOus.get("OrdererOUIdentifier")).ifPresent(ous::setOrdererOuIdentifier);
                    config.setFabricNodeOus(ous);
                }
            }
        }
        config.setCryptoConfig(FabricCryptoConfig.newBuilder().setSignatureHashFamily("SHA2")
                .setIdentityIdentifierHashFunction("SHA256"));
        return MSPConfig.newBuilder().setType(0).setConfig(config.build().toByteString()).build();
    }

    private static java.util.Optional<FabricOUIdentifier> nodeOu(Path dir, Object section) {
        var identifier = map(section);
        var ou = string(identifier.get("OrganizationalUnitIdentifier"));
        if (ou.isEmpty()) {
            return java.util.Optional.empty();
        }
        var builder = FabricOUIdentifier.newBuilder().setOrganizationalUnitIdentifier(ou);
        var certificate = string(identifier.get("Certificate"));
        if (!certificate.isEmpty() && Files.isRegularFile(dir.resolve(certificate))) {
            builder.setCertificate(ByteString.copyFrom(read(dir.resolve(certificate))));
        }
        return java.util.Optional.of(builder.build());
    }

    /** The PEM files of {@code dir} in name order, each as its bytes; none if it does not exist. */
    private static List<ByteString> pemFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        var files = new ArrayList<ByteString>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (var file : entries.filter(Files::isRegularFile).sorted().toList()) {
                var bytes = read(file);
                if (new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN ")) {
                    files.add(ByteString.copyFrom(bytes));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return files;
    }

    /**
     * Go's {@code time.Duration.String()}, which configtxgen writes as the BatchTimeout: {@code 250ms}, {@code 2s},
     * {@code 1.5s}, {@code 1m30s}.
     */
    static String goDuration(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos < 1_000_000_000L) {
            if (nanos < 1_000) {
                return nanos + "ns";
            }
            return nanos < 1_000_000 ? decimal(nanos, 1_000) + "µs" : decimal(nanos, 1_000_000) + "ms";
        }
        long hours = nanos / 3_600_000_000_000L;
        long minutes = nanos / 60_000_000_000L % 60;
        long secondsNanos = nanos % 60_000_000_000L;
        var text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        return text.append(decimal(secondsNanos, 1_000_000_000L)).append('s').toString();
    }

    private static String decimal(long value, long unit) {
        return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
    }

    private static void policies(ConfigGroup.Builder group, SortedMap<String, ConfigPolicy> policies) {
        policies.forEach((name, policy) -> group.putPolicies(name,
                org.hyperledger.fabric.protos.common.ConfigPolicy.newBuilder().setPolicy(policy.toProto())
                        .setModPolicy(ADMINS).build()));
    }

    private static void capabilities(ConfigGroup.Builder group, SortedSet<String> capabilities) {
        if (capabilities.isEmpty()) {
            return;
        }
        var value = Capabilities.newBuilder();
        capabilities.forEach(name -> value.putCapabilities(name, Capability.getDefaultInstance()));
        value(group, "Capabilities", value.build(), ADMINS);
    }

    private static void value(ConfigGroup.Builder group, String key, Message value, String modPolicy) {
        group.putValues(key, ConfigValue.newBuilder().setValue(value.toByteString()).setModPolicy(modPolicy).build());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String string(Object value) {
        return value == null ? "" : Objects.toString(value);
    }
}
