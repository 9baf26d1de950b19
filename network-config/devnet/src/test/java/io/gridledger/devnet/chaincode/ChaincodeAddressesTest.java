package io.gridledger.devnet.chaincode;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChaincodeAddressesTest {

    @Test
    void one_address_serves_every_org() {
        var addresses = ChaincodeAddresses.parse("127.0.0.1:9998");

        assertThat(addresses.forOrg("Org1MSP")).contains("127.0.0.1:9998");
        assertThat(addresses.forOrg("Org7MSP")).contains("127.0.0.1:9998");
        assertThat(addresses).hasToString("127.0.0.1:9998");
    }

    @Test
    void each_org_named_gets_its_own_server_and_an_org_not_named_gets_none() {
        var addresses = ChaincodeAddresses.parse("Org1MSP=127.0.0.1:9991, Org2MSP=chaincode.org2.local:7052");

        assertThat(addresses.forOrg("Org1MSP")).contains("127.0.0.1:9991");
        assertThat(addresses.forOrg("Org2MSP")).contains("chaincode.org2.local:7052");
        assertThat(addresses.forOrg("Org3MSP")).isEmpty();
        assertThat(addresses.byOrg()).containsOnlyKeys("Org1MSP", "Org2MSP");
    }

    @Test
    void a_star_stands_for_the_orgs_not_named() {
        var addresses = ChaincodeAddresses.parse("Org1MSP=127.0.0.1:9991,*=127.0.0.1:9999");

        assertThat(addresses.forOrg("Org1MSP")).contains("127.0.0.1:9991");
        assertThat(addresses.forOrg("Org3MSP")).contains("127.0.0.1:9999");
        assertThat(ChaincodeAddresses.parse("*=127.0.0.1:9999")).isEqualTo(ChaincodeAddresses.everyOrg("127.0.0.1:9999"));
    }

    @Test
    void the_text_form_reads_back_as_the_same_addresses() {
        var perOrg = ChaincodeAddresses.byOrg(Map.of("Org2MSP", "127.0.0.1:9992", "Org1MSP", "127.0.0.1:9991"));
        var mixed = ChaincodeAddresses.byOrg(Map.of("Org1MSP", "127.0.0.1:9991"), "127.0.0.1:9999");

        assertThat(perOrg).hasToString("Org1MSP=127.0.0.1:9991,Org2MSP=127.0.0.1:9992");
        assertThat(ChaincodeAddresses.parse(perOrg.toString())).isEqualTo(perOrg);
        assertThat(ChaincodeAddresses.parse(mixed.toString())).isEqualTo(mixed);
    }

    @Test
    void an_address_without_a_usable_port_is_refused_with_what_is_wrong() {
        assertThatThrownBy(() -> ChaincodeAddresses.parse("127.0.0.1")).hasMessageContaining("127.0.0.1:9999");
        assertThatThrownBy(() -> ChaincodeAddresses.parse(":9999")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChaincodeAddresses.parse("127.0.0.1:http")).hasMessageContaining("no port number");
        assertThatThrownBy(() -> ChaincodeAddresses.parse("127.0.0.1:70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ChaincodeAddresses.parse("Org1MSP=127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_per_org_list_needs_an_msp_id_for_each_address_and_one_address_per_org() {
        assertThatThrownBy(() -> ChaincodeAddresses.parse("Org1MSP=127.0.0.1:9991,127.0.0.1:9992"))
                .hasMessageContaining("expected MSPID=HOST:PORT");
        assertThatThrownBy(() -> ChaincodeAddresses.parse("=127.0.0.1:9991")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChaincodeAddresses.parse("Org1MSP=127.0.0.1:9991,Org1MSP=127.0.0.1:9992"))
                .hasMessageContaining("Org1MSP is given two addresses");
    }

    @Test
    void a_definition_names_the_org_it_has_no_server_for() {
        var definition = new ChaincodeDefinition("gridledger", "1.0", 1, "/Channel/Application/Endorsement",
                ChaincodeAddresses.parse("Org1MSP=127.0.0.1:9991"));

        assertThat(definition.addressFor("Org1MSP")).isEqualTo("127.0.0.1:9991");
        assertThatThrownBy(() -> definition.addressFor("Org2MSP"))
                .hasMessageContaining("no chaincode server address for Org2MSP");
    }
}
