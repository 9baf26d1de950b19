package io.gridledger.gateway.testkit;

import io.gridledger.ledger.testkit.LocalConsortium;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

class LocalConsortiumIT {

    @Test
    void starts_devnet_with_a_chaincode_server_per_org_and_a_bootstrapped_consortium() throws Exception {
        var consortium = LocalConsortium.shared();

        assertThat(consortium.org("Org3MSP").peerEndpoint()).matches("127\\.0\\.0\\.1:[0-9]+");
        assertThat(consortium.org("Org2MSP").usersDir().resolve("node1@org2.gridledger.example/msp/keystore")).isDirectory();
        assertThat(Files.list(consortium.org("Org1MSP").usersDir())).hasSizeGreaterThanOrEqualTo(3);
        try (var gateway = consortium.connect("Org3MSP", "User1")) {
            var params = new String(gateway.contract().evaluateTransaction("GetParameters"), StandardCharsets.UTF_8);
            assertThat(params).contains("\"version\":1").contains("\"commitGraceSeconds\":" + LocalConsortium.COMMIT_GRACE_SECONDS);
        }
    }
}
