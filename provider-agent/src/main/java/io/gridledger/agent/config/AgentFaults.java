package io.gridledger.agent.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Fault injection for end-to-end tests ({@code gridledger.agent.faults.*}, or {@code GRIDLEDGER_AGENT_FAULTS_*}):
 * every fault is off unless set explicitly, and a node with one on is not an honest provider. Testing only.
 *
 * <pre>
 * gridledger.agent.faults.corrupt-results=true   # a consistent liar: its commit, reveal and manifest agree, and are wrong
 * </pre>
 *
 * @param corruptResults alter each job's outputs after its container exits 0 and before they are digested
 *                       ({@link io.gridledger.agent.result.ResultCorruption})
 */
@ConfigurationProperties("gridledger.agent.faults")
public record AgentFaults(@Bindable(defaultValue = "false") boolean corruptResults) {

    /** The property that turns {@link #corruptResults} on, as an operator writes it. */
    public static final String CORRUPT_RESULTS = "gridledger.agent.faults.corrupt-results";

    /** An honest node: no fault injected. */
    public static AgentFaults none() {
        return new AgentFaults(false);
    }

    /** Whether any fault is injected. */
    public boolean any() {
        return corruptResults;
    }
}
