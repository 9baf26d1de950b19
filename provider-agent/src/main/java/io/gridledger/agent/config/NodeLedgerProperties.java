package io.gridledger.agent.config;

import io.gridledger.ledger.fabric.FabricSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * How the agent reaches its org's peer ({@code gridledger.fabric.*}: the gateway's keys, so one org's operators set
 * both alike). The node signs with its own identity, {@code gridledger.agent.identity}, found in {@code users-dir}.
 * The timeouts are the ledger client's; see {@link FabricSettings}.
 */
@ConfigurationProperties("gridledger.fabric")
public record NodeLedgerProperties(
        @NotBlank String mspId,
        @NotBlank String peerEndpoint,
        @NotBlank String usersDir,
        @Bindable(defaultValue = "gridledger") String channel,
        @Bindable(defaultValue = "gridledger") String chaincode,
        @Nullable String tlsCaCertificate,
        @Nullable String tlsServerName,
        @Bindable(defaultValue = "10s") Duration evaluateTimeout,
        @Bindable(defaultValue = "30s") Duration endorseTimeout,
        @Bindable(defaultValue = "60s") Duration commitStatusTimeout) {

    /** The ledger client's settings: a node submits few transactions, each retried on read conflicts as the gateway's. */
    public FabricSettings settings() {
        return new FabricSettings(mspId, peerEndpoint, usersDir, channel, chaincode, tlsCaCertificate, tlsServerName,
                evaluateTimeout, endorseTimeout, Duration.ofSeconds(10), commitStatusTimeout, 6, Duration.ofMillis(50),
                Duration.ofSeconds(2));
    }
}
