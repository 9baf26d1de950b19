package io.gridledger.gateway.testkit;

import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.context.ApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An org's gateway service as a started Micronaut context (no HTTP server) against the local consortium and the test
 * broker: its ledger, its dispatcher with its own topics ({@code <name>.<MSP ID>.assignments}, {@code .job-events})
 * and checkpoint file, and its housekeeping unless turned off.
 *
 * <pre>{@code
 * var checkpoint = GatewayContexts.checkpointFile();
 * try (var org2 = GatewayContexts.start("Org2MSP", "restart", checkpoint, Map.of())) { ... }
 * }</pre>
 */
public final class GatewayContexts {

    private GatewayContexts() {
    }

    public static ApplicationContext start(String mspId, String topics, Path checkpointFile, Map<String, Object> overrides) {
        var properties = new LinkedHashMap<String, Object>(TestLedgers.gatewayProperties(mspId));
        properties.put("kafka.bootstrap.servers", TestKafka.shared().bootstrapServers());
        properties.put("gridledger.dispatch.assignments-topic", assignmentsTopic(topics, mspId));
        properties.put("gridledger.dispatch.job-events-topic", jobEventsTopic(topics, mspId));
        properties.put("gridledger.dispatch.checkpoint-file", checkpointFile.toString());
        properties.put("gridledger.dispatch.reconnect-backoff", "200ms");
        properties.put("gridledger.insights.enabled", "false");
        properties.putAll(overrides);
        return ApplicationContext.run(properties, "test");
    }

    public static String assignmentsTopic(String topics, String mspId) {
        return topics + "." + mspId + ".assignments";
    }

    public static String jobEventsTopic(String topics, String mspId) {
        return topics + "." + mspId + ".job-events";
    }

    /** A checkpoint file in a new temporary folder (not yet written: the dispatcher starts from block 0). */
    public static Path checkpointFile() {
        try {
            return Files.createTempDirectory("gridledger-checkpoint-").resolve("dispatch-checkpoint.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
