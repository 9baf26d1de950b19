package io.gridledger.ledger;

import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerContextIT {

    @Test
    void the_application_context_builds_the_ledger_and_this_orgs_identities_from_configuration() {
        var properties = new java.util.HashMap<String, Object>(TestLedgers.gatewayProperties("Org2MSP"));
        properties.put("gridledger.insights.enabled", "false"); // no console projection writing into the working folder
        try (var context = ApplicationContext.run(properties)) {
            var identities = context.getBean(Identities.class);
            assertThat(identities.mspId()).isEqualTo("Org2MSP");
            assertThat(identities.names()).contains("Admin", "User1", "node1");
            assertThat(identities.identity("node1").accountId()).isEqualTo("Org2MSP/node1@org2.gridledger.example");

            var ledger = context.getBean(Ledger.class);
            assertThat(ledger.whoAmI("node1").accountId()).isEqualTo("Org2MSP/node1@org2.gridledger.example");
            assertThat(ledger.getParameters("User1").members()).containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
        }
    }
}
