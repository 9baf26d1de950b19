package io.gridledger.gateway.agents;

import io.micronaut.core.annotation.Nullable;

/**
 * Where the node exchange hands a step that another org's provider agent reported for a replica of one of this org's
 * clients' jobs, once it checked the node's signature and, on the ledger, that the node holds that assignment.
 *
 * <p>The node exchange's signed {@code progress} endpoint (branch gateway-data) calls it; this branch implements it
 * ({@link ExchangedProgress}: into {@link AgentProgress}, so onto the job's stream and its replicas). Both branches
 * declare this interface, same name and package: at the merge one declaration stays, with this method.
 */
public interface NodeProgressSink {

    /**
     * Takes one step.
     *
     * @param step   a step of AGENT-STATUS.md ({@code accepted} … {@code failed}), case-insensitive
     * @param reason why it failed, for {@code failed}; else null
     * @param at     when it happened, epoch ms of the agent's clock
     * @throws IllegalArgumentException for an unknown step or a negative replica or an attempt below 1 (a 400 for
     *                                  the agent: the step is not taken)
     */
    void accept(String jobId, int replica, int attempt, String nodeId, String step, @Nullable String reason, long at);
}
