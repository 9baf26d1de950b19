package io.gridledger.devnet;

import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.orderer.BatchSettings;
import io.gridledger.devnet.policy.ConfigTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevnetMainTest {

    private static final Path FABRIC_DIR = Path.of("../fabric");

    @TempDir
    Path dir;

    @Test
    void durations_are_read_in_milliseconds_or_seconds() {
        assertThat(DevnetMain.duration("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(DevnetMain.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void with_no_options_the_channel_is_network_shs_and_the_chaincode_comes_from_definition_yaml_when_devnet_starts() {
        var config = DevnetMain.parse(List.of());

        assertThat(config.channel()).isEqualTo("gridledger");
        assertThat(config.profile()).isEqualTo("GridLedgerChannel");
        assertThat(config.chaincodes()).isEmpty();
    }

    @Test
    void block_cutting_is_the_profiles_unless_an_option_overrides_one_setting() {
        var fromFile = BatchSettings.of(ConfigTx.read(FABRIC_DIR.resolve("configtx.yaml"), "GridLedgerChannel", "gridledger")
                .orderer());
        assertThat(fromFile).isEqualTo(new BatchSettings(Duration.ofMillis(250), 100, 2L << 20, 10L << 20));

        assertThat(DevnetMain.parse(List.of()).batch().applyTo(fromFile)).isEqualTo(fromFile);
        assertThat(DevnetMain.parse(List.of("--batch-timeout", "1s")).batch().applyTo(fromFile))
                .isEqualTo(new BatchSettings(Duration.ofSeconds(1), 100, 2L << 20, 10L << 20));
        assertThat(DevnetMain.parse(List.of("--batch-size", "7")).batch().applyTo(fromFile))
                .isEqualTo(new BatchSettings(Duration.ofMillis(250), 7, 2L << 20, 10L << 20));
        assertThatThrownBy(() -> DevnetMain.parse(List.of("--batch-size", "0"))).hasMessageContaining("must be at least 1");
    }

    @Test
    void the_channel_and_its_profile_come_from_the_command_line() {
        var config = DevnetMain.parse(List.of("--channel", "market", "--profile", "OtherProfile"));

        assertThat(config.channel()).isEqualTo("market");
        assertThat(config.profile()).isEqualTo("OtherProfile");
    }

    @Test
    void a_channel_name_fabric_would_refuse_is_refused() {
        assertThatThrownBy(() -> DevnetMain.parse(List.of("--channel", "Market")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("channel name 'Market' is not one Fabric accepts");
    }

    @Test
    void each_chaincode_option_hosts_one_more_chaincode_with_the_addresses_given_after_it() throws IOException {
        var solo = definitionFile("solo", "Address: 127.0.0.1:9981");
        var config = DevnetMain.parse(List.of(
                "--fabric-dir", FABRIC_DIR.toString(),
                "--chaincode", FABRIC_DIR.resolve("chaincode/definition.yaml").toString(),
                "--chaincode-address", "*=127.0.0.1:9998",
                "--chaincode", solo.toString()));

        assertThat(config.chaincodes()).extracting(ChaincodeDefinition::name).containsExactly("gridledger", "solo");
        assertThat(config.chaincodes().get(0).addressFor("Org2MSP")).isEqualTo("127.0.0.1:9998");
        assertThat(config.chaincodes().get(1).addressFor("Org2MSP")).isEqualTo("127.0.0.1:9981");
        assertThat(config.chaincodes().get(1).endorsementPolicy()).isEqualTo("OR('Org1MSP.peer')");
    }

    @Test
    void a_chaincode_address_without_a_chaincode_option_is_for_definition_yamls_chaincode() {
        var config = DevnetMain.parse(List.of("--fabric-dir", FABRIC_DIR.toString(), "--chaincode-address", "127.0.0.1:9998"));

        assertThat(config.chaincodes()).singleElement().satisfies(definition -> {
            assertThat(definition.name()).isEqualTo("gridledger");
            assertThat(definition.addressFor("Org3MSP")).isEqualTo("127.0.0.1:9998");
        });
    }

    @Test
    void two_definitions_of_one_chaincode_a_missing_file_and_an_unknown_option_are_refused_by_name() throws IOException {
        var once = definitionFile("solo", "Address: 127.0.0.1:9981");

        assertThatThrownBy(() -> DevnetMain.parse(List.of("--chaincode", once.toString(), "--chaincode", once.toString())))
                .hasMessage("two --chaincode files define chaincode solo");
        assertThatThrownBy(() -> DevnetMain.parse(List.of("--chaincode", dir.resolve("none.yaml").toString())))
                .hasMessageStartingWith("--chaincode " + dir.resolve("none.yaml"));
        assertThatThrownBy(() -> DevnetMain.parse(List.of("--chaincodes", "x"))).hasMessage("unknown option --chaincodes");
    }

    private Path definitionFile(String name, String addressLine) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                Name: %s
                Version: "1.0"
                Sequence: 1
                EndorsementPolicy: OR('Org1MSP.peer')
                %s
                """.formatted(name, addressLine));
    }
}
