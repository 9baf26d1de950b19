package io.gridledger.gateway.agents;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * Where the progress of a replica run by a provider node reaches this gateway: the node exchange's
 * {@code POST …/progress} (a node of any org, its identity and assignment checked) hands each step here, for the
 * job's view and stream. Progress changes nothing on the ledger.
 */
@FunctionalInterface
public interface NodeProgressSink {

    /**
     * One step of a replica's run.
     *
     * @param nodeId  {@code <MSP ID>/<CN>} of the node, as its assignment names it
     * @param step    {@code accepted}, {@code pulling}, {@code running}, {@code uploading}, {@code committed},
     *                {@code revealed} or {@code failed}
     * @param reason  why, for {@code failed}
     * @param at      when, by the node's clock
     */
    void report(String jobId, int replica, int attempt, String nodeId, String step, @Nullable String reason, Instant at);
}
