package io.gridledger.gateway.fabric;

import io.gridledger.ledger.fabric.FabricSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * How this gateway reaches its org's peer, and as whom ({@code gridledger.fabric.*}, or environment variables such
 * as {@code GRIDLEDGER_FABRIC_PEER_ENDPOINT}): bound here, handed to the ledger client as {@link FabricSettings}
 * (whose Javadoc says what each one means).
 *
 * <pre>
 * gridledger.fabric.msp-id=Org1MSP
 * gridledger.fabric.peer-endpoint=127.0.0.1:7051
 * gridledger.fabric.users-dir=…/peerOrganizations/org1.gridledger.example/users
 * gridledger.fabric.tls-ca-certificate=…/tlsca/tlsca.org1.gridledger.example-cert.pem   # TLS when set
 * gridledger.fabric.tls-server-name=peer0.org1.gridledger.example
 * </pre>
 */
@ConfigurationProperties("gridledger.fabric")
public record FabricProperties(
        @NotBlank String mspId,
        @NotBlank String peerEndpoint,
        @NotBlank String usersDir,
        @Bindable(defaultValue = "gridledger") String channel,
        @Bindable(defaultValue = "gridledger") String chaincode,
        @Nullable String tlsCaCertificate,
        @Nullable String tlsServerName,
        @Bindable(defaultValue = "10s") Duration evaluateTimeout,
        @Bindable(defaultValue = "30s") Duration endorseTimeout,
        @Bindable(defaultValue = "10s") Duration submitTimeout,
        @Bindable(defaultValue = "60s") Duration commitStatusTimeout,
        @Bindable(defaultValue = "6") @Min(1) int maxAttempts,
        @Bindable(defaultValue = "50ms") Duration retryBackoff,
        @Bindable(defaultValue = "2s") Duration retryMaxBackoff) {

    /** The ledger client's settings. */
    public FabricSettings settings() {
        return new FabricSettings(mspId, peerEndpoint, usersDir, channel, chaincode, tlsCaCertificate, tlsServerName,
                evaluateTimeout, endorseTimeout, submitTimeout, commitStatusTimeout, maxAttempts, retryBackoff,
                retryMaxBackoff);
    }
}
