package io.gridledger.agent.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator tells a provider agent ({@code gridledger.agent.*}, or {@code GRIDLEDGER_AGENT_*}): who the node
 * is, what it offers, where its engine, data and the member gateways are.
 *
 * <pre>
 * gridledger.agent.identity=node1                      # the node's identity in gridledger.fabric.users-dir
 * gridledger.agent.offer-id=offer-node1
 * gridledger.agent.capacity=2                          # replicas at once = the offer's slots
 * gridledger.agent.unit-price=10
 * gridledger.agent.labels.site=lyon
 * gridledger.agent.gateways.Org1MSP=http://gateway.org1.example:8080
 * </pre>
 *
 * @param identity          the node's Fabric identity (a name in {@code gridledger.fabric.users-dir})
 * @param dataDir           the journal and each job's work folder
 * @param engineSocket      the Docker API socket of dockerd or Podman
 * @param offerId           the node's offer on the ledger
 * @param capacity          replicas run at once: the offer's slots
 * @param unitPrice         credits per resource-unit-second
 * @param stake             collateral to lock; 0 = the consortium's minimum for {@code capacity} slots
 * @param slotCpuMillis     CPU of one slot; 0 = the node's CPUs divided by {@code capacity}
 * @param slotMemoryMib     memory of one slot; 0 = the node's memory (less 512 MiB for the node) divided by capacity
 * @param slotStorageMib    scratch of one slot; 0 = the data folder's free space divided by capacity
 * @param labels            the offer's labels (detected GPU labels are added); {@code network=allowed} lets jobs
 *                          that require that label reach the network
 * @param gateways          base URL of each member org's gateway by MSP ID (the node exchange with the client org)
 * @param assignmentsTopic  this org's assignments topic (records keyed by node id)
 * @param statusTopic       replica steps (AGENT-STATUS.md), keyed by job id
 * @param nodeStatusTopic   node heartbeats, keyed by node id
 * @param heartbeatInterval how often a heartbeat is sent
 * @param maxOutputFiles    outputs with more files are refused ({@code OUTPUT_TOO_LARGE})
 * @param maxOutputBytes    outputs with more bytes are refused ({@code OUTPUT_TOO_LARGE})
 * @param logCapBytes       at most this much of stdout and of stderr is kept and uploaded
 * @param pidsLimit         processes and threads of one job's container
 * @param pauseOnShutdown   pause the offer when the agent stops cleanly
 */
@ConfigurationProperties("gridledger.agent")
public record AgentSettings(
        @NotBlank String identity,
        @Bindable(defaultValue = "data/agent") String dataDir,
        @Bindable(defaultValue = "unix:///var/run/docker.sock") String engineSocket,
        @NotBlank String offerId,
        @Bindable(defaultValue = "1") @Min(1) int capacity,
        @Bindable(defaultValue = "10") @Min(1) long unitPrice,
        @Bindable(defaultValue = "0") @Min(0) long stake,
        @Bindable(defaultValue = "0") @Min(0) long slotCpuMillis,
        @Bindable(defaultValue = "0") @Min(0) long slotMemoryMib,
        @Bindable(defaultValue = "0") @Min(0) long slotStorageMib,
        @Nullable Map<String, String> labels,
        @Nullable Map<String, String> gateways,
        @Bindable(defaultValue = "gridledger.assignments") String assignmentsTopic,
        @Bindable(defaultValue = "gridledger.agent-status") String statusTopic,
        @Bindable(defaultValue = "gridledger.node-status") String nodeStatusTopic,
        @Bindable(defaultValue = "10s") Duration heartbeatInterval,
        @Bindable(defaultValue = "10000") @Min(1) long maxOutputFiles,
        @Bindable(defaultValue = "10737418240") @Min(0) long maxOutputBytes,
        @Bindable(defaultValue = "1048576") @Min(0) long logCapBytes,
        @Bindable(defaultValue = "256") @Min(1) long pidsLimit,
        @Bindable(defaultValue = "true") boolean pauseOnShutdown) {

    /** The label a job requires, and an offer must carry, for the job's container to get a network. */
    public static final String NETWORK_LABEL = "network";
    public static final String NETWORK_ALLOWED = "allowed";

    public Map<String, String> labels() {
        return labels == null ? Map.of() : labels;
    }

    /**
     * The gateway of {@code mspId}. Keys are matched on their letters and digits, ignoring case: configuration arrives
     * normalized ({@code GRIDLEDGER_AGENT_GATEWAYS_ORG1MSP} → {@code org1msp}, {@code -D…gateways.Org1MSP} → kebab case).
     */
    public Optional<String> gateway(String mspId) {
        if (gateways == null) {
            return Optional.empty();
        }
        String wanted = comparable(mspId);
        return gateways.entrySet().stream().filter(e -> comparable(e.getKey()).equals(wanted))
                .map(Map.Entry::getValue).findFirst();
    }

    /** Micronaut normalizes property names (Org1MSP may arrive as org1msp or org1-m-s-p): compare letters and digits. */
    private static String comparable(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** Whether this node lets jobs that ask for it use the network. */
    public boolean offersNetwork() {
        return NETWORK_ALLOWED.equals(labels().get(NETWORK_LABEL));
    }
}
