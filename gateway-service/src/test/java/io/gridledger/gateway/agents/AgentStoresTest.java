package io.gridledger.gateway.agents;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The two stores' rules (AGENT-STATUS.md), without Kafka: which record wins, and when a node is offline. */
class AgentStoresTest {

    private static final String NODE = "Org1MSP/node1@org1.gridledger.example";
    private static final AgentStatusSettings SETTINGS = new AgentStatusSettings("t.agent-status", "t.node-status", "g",
            Duration.ofHours(6), 3, Duration.ofSeconds(10), 2, 10);

    private static ReplicaProgress step(int attempt, ReplicaStep step, long at) {
        return new ReplicaProgress("j-1", 0, attempt, NODE, step, null, null, at, ReplicaProgress.Origin.KAFKA);
    }

    @Nested
    class WhichStepIsTheLatest {

        private final AgentProgress progress = new AgentProgress(SETTINGS);
        private final ArrayList<ReplicaStep> streamed = new ArrayList<>();

        WhichStepIsTheLatest() {
            progress.changes().subscribe(p -> streamed.add(p.step()));
        }

        @Test
        void a_duplicate_or_a_late_step_changes_nothing_and_is_not_streamed() {
            assertThat(progress.record(step(1, ReplicaStep.RUNNING, 20))).isPresent();
            assertThat(progress.record(step(1, ReplicaStep.RUNNING, 20))).isEmpty();
            assertThat(progress.record(step(1, ReplicaStep.PULLING, 10))).isEmpty();
            assertThat(progress.replicas("j-1")).singleElement().extracting(ReplicaProgress::step).isEqualTo(ReplicaStep.RUNNING);
            assertThat(streamed).containsExactly(ReplicaStep.RUNNING);
        }

        @Test
        void at_the_same_instant_the_later_step_wins() {
            progress.record(step(1, ReplicaStep.UPLOADING, 20));
            assertThat(progress.record(step(1, ReplicaStep.RUNNING, 20))).isEmpty();
            assertThat(progress.record(step(1, ReplicaStep.COMMITTED, 20))).isPresent();
        }

        @Test
        void an_ended_attempt_is_never_overtaken_by_a_step_of_the_same_attempt() {
            progress.record(step(1, ReplicaStep.FAILED, 20));
            assertThat(progress.record(step(1, ReplicaStep.UPLOADING, 30))).isEmpty();
            assertThat(progress.replicas("j-1").get(0).step()).isEqualTo(ReplicaStep.FAILED);
        }

        @Test
        void a_later_attempt_wins_whatever_its_time_and_an_earlier_one_never_does() {
            progress.record(step(1, ReplicaStep.FAILED, 100));
            assertThat(progress.record(step(2, ReplicaStep.ACCEPTED, 50))).isPresent();
            assertThat(progress.record(step(1, ReplicaStep.REVEALED, 200))).isEmpty();
            assertThat(progress.replicas("j-1").get(0).attempt()).isEqualTo(2);
        }

        @Test
        void the_jobs_changed_least_recently_are_dropped_past_the_bound() {
            for (var job : new String[] {"j-a", "j-b", "j-c"}) {
                progress.record(new ReplicaProgress(job, 0, 1, NODE, ReplicaStep.RUNNING, null, null, 1, ReplicaProgress.Origin.KAFKA));
            }
            assertThat(progress.size()).isEqualTo(2);
            assertThat(progress.replicas("j-a")).isEmpty();
            assertThat(progress.inProgressOn(NODE)).extracting(ReplicaProgress::jobId).containsExactly("j-b", "j-c");
        }
    }

    @Nested
    class WhenANodeIsOffline {

        private final MutableClock clock = new MutableClock();
        private final NodeDirectory nodes = new NodeDirectory(SETTINGS, clock);

        private NodeHeartbeat heartbeat(String state, Long intervalMs, long at) {
            return new NodeHeartbeat(NODE, null, state, 0, 1, null, intervalMs, at);
        }

        @Test
        void after_the_missed_heartbeats_of_its_own_interval_on_the_gateways_clock() {
            nodes.record(heartbeat("online", 1_000L, 5));
            clock.advance(3_000);
            assertThat(nodes.node(NODE).orElseThrow().online()).isTrue();
            clock.advance(1);
            assertThat(nodes.node(NODE).orElseThrow().online()).isFalse();
        }

        @Test
        void a_heartbeat_without_an_interval_gets_the_configured_one() {
            nodes.record(heartbeat("online", null, 5));
            clock.advance(30_000);
            assertThat(nodes.node(NODE).orElseThrow().online()).isTrue();
            clock.advance(1);
            assertThat(nodes.node(NODE).orElseThrow().online()).isFalse();
        }

        @Test
        void when_it_says_so_and_an_older_heartbeat_arriving_late_does_not_bring_it_back() {
            nodes.record(heartbeat("offline", 1_000L, 20));
            assertThat(nodes.record(heartbeat("online", 1_000L, 10))).isFalse();
            assertThat(nodes.record(heartbeat("online", 1_000L, 20))).isFalse();
            assertThat(nodes.node(NODE).orElseThrow().online()).isFalse();
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private long millis = 1_800_000_000_000L;

        void advance(long by) {
            millis += by;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
