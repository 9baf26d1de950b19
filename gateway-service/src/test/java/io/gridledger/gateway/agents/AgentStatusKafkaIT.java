package io.gridledger.gateway.agents;

import io.gridledger.gateway.testkit.AgentPublisher;
import io.gridledger.gateway.testkit.Fixtures;
import io.gridledger.gateway.testkit.TestKafka;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's consumers of the agents' topics on a real broker, without a ledger: steps and heartbeats published
 * the way an agent does reach the stores; a restarted gateway resumes its consumer group and knows every replica's
 * latest step again, including the steps published while it was down.
 */
class AgentStatusKafkaIT {

    private static final String NODE = "Org1MSP/node1@org1.gridledger.example";

    @Test
    void a_restarted_gateway_resumes_the_agents_topic_without_losing_a_step() {
        var topics = "restart-" + Fixtures.RUN;
        try (var agent = AgentPublisher.open(TestKafka.shared().bootstrapServers(), topics + ".agent-status", topics + ".node-status")) {
            long t0 = System.currentTimeMillis();
            try (var gateway = gateway(topics)) {
                var progress = gateway.getBean(AgentProgress.class);
                agent.step("job-a", 0, 1, NODE, "accepted", null, null, t0);
                agent.step("job-a", 0, 1, NODE, "running", null, null, t0 + 10);
                await().atMost(Duration.ofSeconds(20)).until(() -> steps(progress, "job-a").equals(List.of("0 running")));
            }
            agent.step("job-a", 0, 1, NODE, "uploading", null, 0, t0 + 20);   // while the gateway is down
            agent.step("job-b", 1, 2, NODE, "failed", "TIMEOUT", null, t0 + 30);
            try (var gateway = gateway(topics)) {
                var progress = gateway.getBean(AgentProgress.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> steps(progress, "job-a").equals(List.of("0 uploading"))
                        && steps(progress, "job-b").equals(List.of("1 failed")));
                assertThat(progress.replicas("job-b").get(0).reason()).isEqualTo("TIMEOUT");
                agent.step("job-a", 0, 1, NODE, "committed", null, null, t0 + 40);
                await().atMost(Duration.ofSeconds(20)).until(() -> steps(progress, "job-a").equals(List.of("0 committed")));
            }
        }
    }

    @Test
    void records_that_are_not_steps_or_heartbeats_are_skipped_with_a_warning_a_count_and_no_stack_trace() {
        var topics = "invalid-" + Fixtures.RUN;
        var logs = new ListAppender<ILoggingEvent>();
        var logger = (Logger) LoggerFactory.getLogger("io.gridledger.gateway.agents.kafka.ReplayingListener");
        logs.start();
        logger.addAppender(logs);
        try (var agent = AgentPublisher.open(TestKafka.shared().bootstrapServers(), topics + ".agent-status", topics + ".node-status");
             var gateway = gateway(topics)) {
            var progress = gateway.getBean(AgentProgress.class);
            var nodes = gateway.getBean(NodeDirectory.class);
            var meters = gateway.getBean(MeterRegistry.class);
            long t0 = System.currentTimeMillis();
            agent.raw(topics + ".agent-status", "job-c", "not json");
            agent.raw(topics + ".agent-status", "job-c", "{\"dispatchKey\":\"job-c#0#1\",\"jobId\":\"job-c\",\"replica\":0,"
                    + "\"attempt\":1,\"nodeId\":\"" + NODE + "\",\"step\":\"dancing\",\"at\":" + t0 + "}");
            agent.raw(topics + ".agent-status", "job-c", "{\"dispatchKey\":\"job-c#1#1\",\"jobId\":\"job-c\",\"replica\":0,"
                    + "\"attempt\":1,\"nodeId\":\"" + NODE + "\",\"step\":\"running\",\"at\":" + t0 + "}");
            agent.raw(topics + ".agent-status", "job-c", null);
            agent.raw(topics + ".node-status", NODE, "{\"nodeId\":");
            agent.step("job-c", 0, 1, NODE, "running", null, null, t0);
            agent.heartbeat(NODE, null, "online", 0, 2, 10_000, t0);
            await().atMost(Duration.ofSeconds(20)).until(() -> steps(progress, "job-c").equals(List.of("0 running"))
                    && nodes.node(NODE).isPresent());

            assertThat(skipped(meters, topics + ".agent-status")).isEqualTo(4);
            assertThat(skipped(meters, topics + ".node-status")).isEqualTo(1);
            var warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertThat(warnings).hasSize(5).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
            assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("key job-c", "not JSON of a AgentStatus").doesNotContain("\n"))
                    .anySatisfy(m -> assertThat(m).contains("key job-c", "unknown step dancing"))
                    .anySatisfy(m -> assertThat(m).contains("key job-c", "no value (a tombstone)"))
                    .anySatisfy(m -> assertThat(m).contains("key job-c", "dispatchKey job-c#1#1 is not jobId#replica#attempt"))
                    .anySatisfy(m -> assertThat(m).contains("key " + NODE, "not JSON of a NodeHeartbeat"));
        } finally {
            logger.detachAppender(logs);
        }
    }

    private static double skipped(MeterRegistry meters, String topic) {
        var counter = meters.find("gridledger.agents.records").tags("topic", topic, "outcome", "skipped").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void the_embedded_broker_serves_the_dispatcher_and_the_consumers_through_micronaut_kafka() throws Exception {
        var dataDir = java.nio.file.Files.createTempDirectory("gridledger-embedded-");
        try (var gateway = ApplicationContext.run(Map.of("gridledger.kafka.embedded", "true",
                "gridledger.kafka.embedded-data-dir", dataDir.toString()), "test")) {
            var kafka = gateway.getBean(io.gridledger.gateway.dispatch.kafka.EmbeddedKafka.class);
            var dispatch = gateway.getBean(io.gridledger.gateway.dispatch.JobDispatch.class);
            dispatch.publish(List.of(new io.gridledger.gateway.dispatch.JobEventMessage("job-e", "JobSubmitted", "QUEUED",
                    null, "tx-1", 1)));
            assertThat(dispatch.reach(Duration.ofSeconds(5)).reachable()).isTrue();
            try (var agent = AgentPublisher.open(kafka.bootstrapServers(), "gridledger.agent-status", "gridledger.node-status")) {
                agent.step("job-e", 0, 1, NODE, "accepted", null, null, System.currentTimeMillis());
                var progress = gateway.getBean(AgentProgress.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> steps(progress, "job-e").equals(List.of("0 accepted")));
            }
        }
    }

    private static ApplicationContext gateway(String topics) {
        return ApplicationContext.run(Map.of(
                "kafka.bootstrap.servers", TestKafka.shared().bootstrapServers(),
                "gridledger.agent-status.topic", topics + ".agent-status",
                "gridledger.agent-status.node-topic", topics + ".node-status",
                "gridledger.agent-status.group-id", topics + "-gateway"), "test");
    }

    private static List<String> steps(AgentProgress progress, String jobId) {
        return progress.replicas(jobId).stream().map(p -> p.replica() + " " + p.step().wireName()).toList();
    }
}
