package io.gridledger.devnet.policy;

import com.google.protobuf.TextFormat;
import io.gridledger.devnet.msp.CryptoConfig;
import io.gridledger.devnet.msp.CryptoGenerator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The channel configuration devnet writes into its genesis block, next to what Fabric's configtxgen writes. */
class ChannelConfigEncoderTest {

    private static final Path FABRIC_DIR = Path.of("../fabric").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void batch_timeouts_are_written_as_gos_durations() {
        assertThat(ChannelConfigEncoder.goDuration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(ChannelConfigEncoder.goDuration(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(ChannelConfigEncoder.goDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(ChannelConfigEncoder.goDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(ChannelConfigEncoder.goDuration(Duration.ofHours(1))).isEqualTo("1h0m0s");
    }

    @Test
    void the_profile_becomes_every_group_value_and_policy_of_the_channel() throws Exception {
        var channel = channelGroup();

        assertThat(channel.getGroupsMap()).containsOnlyKeys("Orderer", "Application");
        assertThat(channel.getValuesMap()).containsOnlyKeys("HashingAlgorithm", "BlockDataHashingStructure", "Capabilities");
        assertThat(channel.getPoliciesMap()).containsOnlyKeys("Readers", "Writers", "Admins");
        var orderer = channel.getGroupsOrThrow("Orderer");
        assertThat(orderer.getValuesMap()).containsOnlyKeys("BatchSize", "BatchTimeout", "ChannelRestrictions",
                "Capabilities", "ConsensusType");
        assertThat(BatchSize.parseFrom(orderer.getValuesOrThrow("BatchSize").getValue()).getMaxMessageCount()).isEqualTo(100);
        assertThat(BatchTimeout.parseFrom(orderer.getValuesOrThrow("BatchTimeout").getValue()).getTimeout()).isEqualTo("250ms");
        var consensus = ConsensusType.parseFrom(orderer.getValuesOrThrow("ConsensusType").getValue());
        assertThat(consensus.getType()).isEqualTo("etcdraft");
        assertThat(ConfigMetadata.parseFrom(consensus.getMetadata()).getConsentersList())
                .extracting(c -> c.getHost() + ":" + c.getPort())
                .containsExactly("127.0.0.1:7050", "127.0.0.1:8050", "127.0.0.1:9050");
        assertThat(orderer.getGroupsOrThrow("OrdererOrg").getValuesMap()).containsOnlyKeys("MSP", "Endpoints");
        var org1 = channel.getGroupsOrThrow("Application").getGroupsOrThrow("Org1");
        assertThat(org1.getValuesMap()).containsOnlyKeys("MSP", "AnchorPeers");
        var msp = FabricMSPConfig.parseFrom(MSPConfig.parseFrom(org1.getValuesOrThrow("MSP").getValue()).getConfig());
        assertThat(msp.getName()).isEqualTo("Org1MSP");
        assertThat(msp.getFabricNodeOus().getEnable()).isTrue();
        assertThat(msp.getTlsRootCertsCount()).isEqualTo(1);
    }

    /** Where Fabric's configtxgen is on PATH: it and devnet make the same channel config of the same files. */
    @Test
    void the_channel_config_equals_configtxgens_for_the_same_profile_and_identities() throws Exception {
        var configtxgen = onPath("configtxgen");
        assumeTrue(configtxgen.isPresent(), "configtxgen is not on PATH (PATH=/work/fabric-build/home/bin:$PATH)");
        var ours = channelGroup();
        var block = dir.resolve("gridledger.block");
        var process = new ProcessBuilder(configtxgen.get().toString(), "-configPath", dir.toString(),
                "-profile", "GridLedgerChannel", "-channelID", "gridledger", "-outputBlock", block.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("configtxgen.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("configtxgen.log"))).isZero();
        var envelope = Envelope.parseFrom(Block.parseFrom(Files.readAllBytes(block)).getData().getData(0));
        var theirs = ConfigEnvelope.parseFrom(Payload.parseFrom(envelope.getPayload()).getData()).getConfig().getChannelGroup();

        assertThat(TextFormat.printer().printToString(ours)).isEqualTo(TextFormat.printer().printToString(theirs));
        assertThat(ours).isEqualTo(theirs);
    }

    /** The GridLedgerChannel profile of a copy of configtx.yaml next to identities generated in cryptogen's layout. */
    private ConfigGroup channelGroup() throws Exception {
        CryptoGenerator.generate(CryptoConfig.load(FABRIC_DIR), dir);
        Files.copy(FABRIC_DIR.resolve("configtx.yaml"), dir.resolve("configtx.yaml"));
        var definition = ConfigTx.read(dir.resolve("configtx.yaml"), "GridLedgerChannel", "gridledger");
        return ChannelConfigEncoder.channelGroup(definition, ChannelDefinition.Organization::mspDir, file -> file);
    }

    private static Optional<Path> onPath(String program) {
        var path = System.getenv("PATH");
        return path == null ? Optional.empty() : Arrays.stream(path.split(File.pathSeparator))
                .map(entry -> Path.of(entry, program)).filter(Files::isExecutable).findFirst();
    }
}
