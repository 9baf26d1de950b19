package io.gridledger.ledger.fabric;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FabricLedger} reaches its org's peer, and as whom. A plain value: each application binds its own
 * configuration to it (the gateway's {@code gridledger.fabric.*}, the provider agent's).
 *
 * @param mspId               this org's MSP ID
 * @param peerEndpoint        host:port of the org's peer (its Gateway service)
 * @param usersDir            the org's identities: {@code <name>@<domain>/msp/{signcerts,keystore}} per identity
 * @param channel             the channel ({@code gridledger})
 * @param chaincode           the chaincode's name ({@code gridledger})
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
public record FabricSettings(
        String mspId,
        String peerEndpoint,
        String usersDir,
        String channel,
        String chaincode,
        @Nullable String tlsCaCertificate,
        @Nullable String tlsServerName,
        Duration evaluateTimeout,
        Duration endorseTimeout,
        Duration submitTimeout,
        Duration commitStatusTimeout,
        int maxAttempts,
        Duration retryBackoff,
        Duration retryMaxBackoff) {

    public FabricSettings {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(peerEndpoint, "peerEndpoint");
        Objects.requireNonNull(usersDir, "usersDir");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(chaincode, "chaincode");
        Objects.requireNonNull(evaluateTimeout, "evaluateTimeout");
        Objects.requireNonNull(endorseTimeout, "endorseTimeout");
        Objects.requireNonNull(submitTimeout, "submitTimeout");
        Objects.requireNonNull(commitStatusTimeout, "commitStatusTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(retryMaxBackoff, "retryMaxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
    }
}
