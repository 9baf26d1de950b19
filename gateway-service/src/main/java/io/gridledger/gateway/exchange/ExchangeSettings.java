package io.gridledger.gateway.exchange;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * The node exchange ({@code gridledger.exchange.*}, gateway-service/NODE-EXCHANGE.md): how other orgs' provider nodes
 * get this org's job inputs and hand back outputs.
 *
 * @param identity          the Fabric identity of this org the gateway reads jobs and the channel configuration as
 * @param clockTolerance    how far a request's timestamp may be from the gateway's clock
 * @param nonceCapacity     how many nonces are remembered at most (a full registry refuses new requests: 503)
 * @param channelConfigTtl  how long the channel's MSPs are trusted before they are read again
 * @param maxFiles          the most output files one replica may declare
 * @param maxOutputBytes    the most bytes (files and logs) one replica may declare
 */
@ConfigurationProperties("gridledger.exchange")
public record ExchangeSettings(
        @Bindable(defaultValue = "User1") @NotBlank String identity,
        @Bindable(defaultValue = "30s") Duration clockTolerance,
        @Bindable(defaultValue = "200000") int nonceCapacity,
        @Bindable(defaultValue = "10m") Duration channelConfigTtl,
        @Bindable(defaultValue = "10000") int maxFiles,
        @Bindable(defaultValue = "10737418240") long maxOutputBytes) {
}
