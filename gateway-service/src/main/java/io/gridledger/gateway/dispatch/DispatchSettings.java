package io.gridledger.gateway.dispatch;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * The chaincode-event dispatcher ({@code gridledger.dispatch.*}).
 *
 * @param enabled           whether this gateway dispatches (one dispatcher per org: the org's own Kafka)
 * @param identity          the identity it reads events as
 * @param checkpointFile    where it records the last event it published; it resumes after it
 * @param assignmentsTopic  this org's topic of assignments, keyed by provider node id
 * @param jobEventsTopic    this org's topic of job changes, keyed by job id
 * @param reconnectBackoff  pause before reading events again after the peer or the broker failed
 */
@ConfigurationProperties("gridledger.dispatch")
public record DispatchSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "User1") @NotBlank String identity,
        @Bindable(defaultValue = "data/dispatch-checkpoint.json") @NotBlank String checkpointFile,
        @Bindable(defaultValue = "gridledger.assignments") @NotBlank String assignmentsTopic,
        @Bindable(defaultValue = "gridledger.job-events") @NotBlank String jobEventsTopic,
        @Bindable(defaultValue = "1s") Duration reconnectBackoff) {
}
