package io.gridledger.devnet.chaincode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChaincodeDefinitionsTest {

    private static final String HEAD = """
            Name: gridledger
            Version: "1.0"
            Sequence: 2
            EndorsementPolicy: /Channel/Application/Endorsement
            """;

    @Test
    void the_network_s_definition_gives_each_member_org_its_own_chaincode_server() {
        var definition = ChaincodeDefinitions.read(Path.of("../fabric/chaincode/definition.yaml"));

        var servers = definition.addresses().byOrg();
        assertThat(servers).containsOnlyKeys("Org1MSP", "Org2MSP", "Org3MSP");
        assertThat(servers.values()).doesNotHaveDuplicates();
        assertThat(definition.addresses().forOrg("Org4MSP")).isEmpty();
    }

    @Test
    void address_lines_per_org_and_one_for_the_other_orgs(@TempDir Path dir) throws Exception {
        var file = Files.writeString(dir.resolve("definition.yaml"), HEAD + """
                Address.Org2MSP: 127.0.0.1:9992
                Address: "127.0.0.1:9999"
                """);

        var definition = ChaincodeDefinitions.read(file);

        assertThat(definition.sequence()).isEqualTo(2);
        assertThat(definition.addressFor("Org2MSP")).isEqualTo("127.0.0.1:9992");
        assertThat(definition.addressFor("Org1MSP")).isEqualTo("127.0.0.1:9999");
    }

    @Test
    void a_single_address_still_serves_every_org(@TempDir Path dir) throws Exception {
        var file = Files.writeString(dir.resolve("definition.yaml"), HEAD + "Address: 127.0.0.1:9999\n");

        assertThat(ChaincodeDefinitions.read(file).addresses()).isEqualTo(ChaincodeAddresses.everyOrg("127.0.0.1:9999"));
    }

    @Test
    void a_definition_without_any_address_or_with_a_bad_one_is_refused(@TempDir Path dir) throws Exception {
        var none = Files.writeString(dir.resolve("none.yaml"), HEAD);
        var bad = Files.writeString(dir.resolve("bad.yaml"), HEAD + "Address.Org1MSP: 127.0.0.1\n");

        assertThatThrownBy(() -> ChaincodeDefinitions.read(none)).hasMessageContaining("missing Address.<MSP ID>");
        assertThatThrownBy(() -> ChaincodeDefinitions.read(bad)).hasMessageContaining("bad.yaml")
                .hasMessageContaining("127.0.0.1:9999");
    }
}
