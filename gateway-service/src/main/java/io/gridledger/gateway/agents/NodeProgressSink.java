package io.gridledger.gateway.agents;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * Where the progress of a replica run by another org's provider node reaches this gateway: the node exchange's signed
 * {@code POST …/progress} hands each step here once it checked the node's signature and, on the ledger, that the node
 * holds that assignment. {@link ExchangedProgress} records it in {@link AgentProgress}, so it reaches the job's stream
 * and its replicas view. Progress changes nothing on the ledger.
 */
@FunctionalInterface
public interface NodeProgressSink {

    /**
     * One step of a replica's run.
     *
     * @param nodeId {@code <MSP ID>/<CN>} of the node, as its assignment names it
     * @param step   a step of AGENT-STATUS.md ({@code accepted}, {@code pulling}, {@code running}, {@code uploading},
     *               {@code committed}, {@code revealed}, {@code failed}), case-insensitive
     * @param reason why it failed, for {@code failed}; else null
     * @param at     when it happened, by the node's clock
     * @throws IllegalArgumentException for an unknown step, a negative replica or an attempt below 1
     */
    void report(String jobId, int replica, int attempt, String nodeId, String step, @Nullable String reason, Instant at);
}
