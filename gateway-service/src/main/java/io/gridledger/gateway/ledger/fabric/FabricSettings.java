package io.gridledger.gateway.ledger.fabric;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * How this gateway reaches its org's peer, and as whom ({@code gridledger.fabric.*}, or environment variables such
 * as {@code GRIDLEDGER_FABRIC_PEER_ENDPOINT}).
 *
 * <pre>
 * gridledger.fabric.msp-id=Org1MSP
 * gridledger.fabric.peer-endpoint=127.0.0.1:7051
 * gridledger.fabric.users-dir=…/peerOrganizations/org1.gridledger.example/users
 * gridledger.fabric.tls-ca-certificate=…/tlsca/tlsca.org1.gridledger.example-cert.pem   # TLS when set
 * gridledger.fabric.tls-server-name=peer0.org1.gridledger.example
 * </pre>
 *
 * @param mspId               this org's MSP ID
 * @param peerEndpoint        host:port of the org's peer (its Gateway service)
 * @param usersDir            the org's identities: {@code <name>@<domain>/msp/{signcerts,keystore}} per identity
 * @param tlsCaCertificate    PEM of the CA that signed the peer's TLS certificate; absent: plaintext
 * @param tlsServerName       the name the peer's TLS certificate carries, when it differs from the endpoint's host
 * @param evaluateTimeout     deadline of a query
 * @param endorseTimeout      deadline of an endorsement (the gateway collects every org's)
 * @param submitTimeout       deadline of handing a transaction to the orderer
 * @param commitStatusTimeout deadline of waiting for the transaction's block
 * @param maxAttempts         attempts of a transaction that meets read conflicts (1 = no retry)
 * @param retryBackoff        first backoff after a conflict; doubles each time, with jitter
 * @param retryMaxBackoff     longest backoff
 */
@ConfigurationProperties("gridledger.fabric")
public record FabricSettings(
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
}
