package io.gridledger.gateway.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The event streams ({@code gridledger.api.sse.*}).
 *
 * @param keepAlive how often an idle stream gets a comment line ({@code : keep-alive}), so proxies and clients do not
 *                  take it for dead
 */
@ConfigurationProperties("gridledger.api.sse")
public record SseSettings(@Bindable(defaultValue = "15s") Duration keepAlive) {
}
