package io.gridledger.gateway.agents;

import io.micronaut.context.annotation.Secondary;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** The default sink until the job stream consumes node progress: one INFO line per step, with the job and node. */
@Singleton
@Secondary
final class LoggingNodeProgressSink implements NodeProgressSink {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingNodeProgressSink.class);

    @Override
    public void report(String jobId, int replica, int attempt, String nodeId, String step, @Nullable String reason,
                       Instant at) {
        LOG.info("job {} replica {} attempt {}: node {} is {}{} (at {})", jobId, replica, attempt, nodeId, step,
                reason == null ? "" : ": " + reason, at);
    }
}
