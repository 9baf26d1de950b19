package io.gridledger.devnet.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A channel as a {@code configtx.yaml} profile defines it, read by {@link ConfigTx}: the organizations, their
 * policies, the application and orderer settings. It is what devnet builds its channel configuration and
 * {@link ChannelPolicies} from, so that devnet and a real network made with configtxgen from the same file agree.
 *
 * @param channelName           the channel ID (not in the file; configtxgen takes it as {@code -channelID})
 * @param profile               the profile read, e.g. {@code GridLedgerChannel}
 * @param channelPolicies       {@code /Channel} policies (Readers, Writers, Admins)
 * @param channelCapabilities   the channel capabilities set to {@code true}, e.g. {@code V2_0}
 * @param applicationOrgs       the application orgs, in the file's order
 * @param applicationPolicies   {@code /Channel/Application} policies (Readers, Writers, Admins, Endorsement,
 *                              LifecycleEndorsement)
 * @param applicationCapabilities the application capabilities set to {@code true}, e.g. {@code V2_5}
 * @param orderer               the orderer section
 */
public record ChannelDefinition(
        String channelName,
        String profile,
        SortedMap<String, ConfigPolicy> channelPolicies,
        SortedSet<String> channelCapabilities,
        List<Organization> applicationOrgs,
        SortedMap<String, ConfigPolicy> applicationPolicies,
        SortedSet<String> applicationCapabilities,
        Orderer orderer) {

    public ChannelDefinition {
        Objects.requireNonNull(channelName, "channelName");
        Objects.requireNonNull(profile, "profile");
        channelPolicies = sortedCopy(channelPolicies);
        channelCapabilities = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(channelCapabilities));
        applicationOrgs = List.copyOf(applicationOrgs);
        applicationPolicies = sortedCopy(applicationPolicies);
        applicationCapabilities = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(applicationCapabilities));
        Objects.requireNonNull(orderer, "orderer");
    }

    /**
     * An organization.
     *
     * @param name             the org's {@code Name}: the name of its group in the channel config
     * @param mspId            the org's {@code ID}, e.g. {@code Org1MSP}
     * @param mspDir           its {@code MSPDir}, resolved against the folder of {@code configtx.yaml}
     * @param mspType          {@code bccsp} unless the file says otherwise
     * @param policies         the org's policies (Readers, Writers, Admins and, for application orgs, Endorsement)
     * @param ordererEndpoints its {@code OrdererEndpoints} (orderer orgs)
     * @param anchorPeers      its {@code AnchorPeers} (application orgs)
     */
    public record Organization(
            String name,
            String mspId,
            Path mspDir,
            String mspType,
            SortedMap<String, ConfigPolicy> policies,
            List<String> ordererEndpoints,
            List<HostPort> anchorPeers) {

        public Organization {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mspId, "mspId");
            Objects.requireNonNull(mspDir, "mspDir");
            Objects.requireNonNull(mspType, "mspType");
            policies = sortedCopy(policies);
            ordererEndpoints = List.copyOf(ordererEndpoints);
            anchorPeers = List.copyOf(anchorPeers);
        }

        /** An organization without anchor peers. */
        public Organization(String name, String mspId, Path mspDir, String mspType,
                            SortedMap<String, ConfigPolicy> policies, List<String> ordererEndpoints) {
            this(name, mspId, mspDir, mspType, policies, ordererEndpoints, List.of());
        }
    }

    /** A {@code Host} and {@code Port} of configtx.yaml (an anchor peer, a Raft consenter). */
    public record HostPort(String host, int port) {
        public HostPort {
            Objects.requireNonNull(host, "host");
        }
    }

    /**
     * The {@code EtcdRaft} section of an {@code etcdraft} orderer: its consenters (their TLS certificate files,
     * resolved against the folder of {@code configtx.yaml}) and {@code Options}, with configtxgen's defaults.
     */
    public record EtcdRaft(List<Consenter> consenters, String tickInterval, int electionTick, int heartbeatTick,
                           int maxInflightBlocks, long snapshotIntervalSize) {
        public EtcdRaft {
            consenters = List.copyOf(consenters);
            Objects.requireNonNull(tickInterval, "tickInterval");
        }
    }

    /** A Raft consenter: where it listens and its TLS certificates' files. */
    public record Consenter(HostPort endpoint, Path clientTlsCert, Path serverTlsCert) {
        public Consenter {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(clientTlsCert, "clientTlsCert");
            Objects.requireNonNull(serverTlsCert, "serverTlsCert");
        }
    }

    /**
     * The orderer section, with configtxgen's defaults applied where the file leaves a value out or at zero (solo,
     * 2s, 500 messages, 10 MB, 2 MB).
     *
     * @param type          {@code OrdererType}, e.g. {@code etcdraft}
     * @param addresses     {@code Addresses} (deprecated in Fabric in favour of orgs' {@code OrdererEndpoints})
     * @param batchTimeout  {@code BatchTimeout}: how long the orderer waits before cutting a non-full block
     * @param batchSize     {@code BatchSize}
     * @param organizations the orderer orgs
     * @param policies      {@code /Channel/Orderer} policies (Readers, Writers, Admins, BlockValidation)
     * @param capabilities  the orderer capabilities set to {@code true}
     * @param etcdRaft      the {@code EtcdRaft} section of an {@code etcdraft} orderer
     */
    public record Orderer(
            String type,
            List<String> addresses,
            Duration batchTimeout,
            BatchSize batchSize,
            List<Organization> organizations,
            SortedMap<String, ConfigPolicy> policies,
            SortedSet<String> capabilities,
            Optional<EtcdRaft> etcdRaft) {

        public Orderer {
            Objects.requireNonNull(type, "type");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(batchTimeout, "batchTimeout");
            Objects.requireNonNull(batchSize, "batchSize");
            organizations = List.copyOf(organizations);
            policies = sortedCopy(policies);
            capabilities = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(capabilities));
            Objects.requireNonNull(etcdRaft, "etcdRaft");
        }

        /** An orderer section without an {@code EtcdRaft} section (solo). */
        public Orderer(String type, List<String> addresses, Duration batchTimeout, BatchSize batchSize,
                       List<Organization> organizations, SortedMap<String, ConfigPolicy> policies,
                       SortedSet<String> capabilities) {
            this(type, addresses, batchTimeout, batchSize, organizations, policies, capabilities, Optional.empty());
        }
    }

    /**
     * When the orderer cuts a block: after {@code maxMessageCount} transactions, or before a block would pass
     * {@code preferredMaxBytes}; a single transaction larger than {@code absoluteMaxBytes} is refused.
     */
    public record BatchSize(long maxMessageCount, long absoluteMaxBytes, long preferredMaxBytes) {}

    /** The application org with this MSP ID. */
    public Optional<Organization> applicationOrg(String mspId) {
        return applicationOrgs.stream().filter(org -> org.mspId().equals(mspId)).findFirst();
    }

    /** The MSP IDs of the application orgs, in the file's order. */
    public List<String> applicationMspIds() {
        return applicationOrgs.stream().map(Organization::mspId).toList();
    }

    /**
     * The channel's policies: {@code /Channel} with sub-groups {@code Application} (one group per application org,
     * named by the org's {@code Name}) and {@code Orderer} (one group per orderer org), as configtxgen lays them out.
     */
    public ChannelPolicies policies() {
        var applicationGroups = new LinkedHashMap<String, PolicyGroup>();
        applicationOrgs.forEach(org -> applicationGroups.put(org.name(), PolicyGroup.leaf(org.policies())));
        var ordererGroups = new LinkedHashMap<String, PolicyGroup>();
        orderer.organizations().forEach(org -> ordererGroups.put(org.name(), PolicyGroup.leaf(org.policies())));
        var channel = PolicyGroup.of(channelPolicies, Map.of(
                "Application", PolicyGroup.of(applicationPolicies, applicationGroups),
                "Orderer", PolicyGroup.of(orderer.policies(), ordererGroups)));
        return new ChannelPolicies(channel);
    }

    private static SortedMap<String, ConfigPolicy> sortedCopy(Map<String, ConfigPolicy> policies) {
        return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(policies, "policies")));
    }
}
