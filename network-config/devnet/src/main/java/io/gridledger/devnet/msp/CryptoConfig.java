package io.gridledger.devnet.msp;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The consortium's organizations as cryptogen describes them: {@code crypto-config.yaml} (OrdererOrgs and PeerOrgs
 * with Name, Domain, EnableNodeOUs, Specs, Template and Users) plus GridLedger's {@code provider-nodes.yaml} (peer org
 * Name → provider node names). devnet reads the same files as the real network so both issue the same identities.
 *
 * <pre>{@code
 * var config = CryptoConfig.load(Path.of("network-config/fabric")).withPeerOrgs(5);
 * config.peerOrgs().get(4).mspId();   // "Org5MSP"
 * }</pre>
 *
 * <p>The MSP ID of an org is its Name followed by {@code MSP} ({@code Org1} → {@code Org1MSP}), as in configtx.yaml.
 */
public record CryptoConfig(List<Org> ordererOrgs, List<Org> peerOrgs) {

    public static final String CRYPTO_CONFIG_FILE = "crypto-config.yaml";
    public static final String PROVIDER_NODES_FILE = "provider-nodes.yaml";
    private static final String DEFAULT_BASE_DOMAIN = "gridledger.example";

    public CryptoConfig {
        ordererOrgs = List.copyOf(ordererOrgs);
        peerOrgs = List.copyOf(peerOrgs);
        var mspIds = new java.util.HashSet<String>();
        for (var org : Stream.concat(ordererOrgs.stream(), peerOrgs.stream()).toList()) {
            if (!mspIds.add(org.mspId())) {
                throw new IllegalArgumentException("two orgs are named '" + org.name() + "'");
            }
        }
    }

    /** Whether an org orders (orderer nodes under {@code orderers/}) or endorses (peers under {@code peers/}). */
    public enum OrgType {
        ORDERER("ordererOrganizations", "orderers", "orderer"),
        PEER("peerOrganizations", "peers", "peer");

        private final String organizationsFolder;
        private final String nodesFolder;
        private final String hostnamePrefix;

        OrgType(String organizationsFolder, String nodesFolder, String hostnamePrefix) {
            this.organizationsFolder = organizationsFolder;
            this.nodesFolder = nodesFolder;
            this.hostnamePrefix = hostnamePrefix;
        }

        /** {@code ordererOrganizations} or {@code peerOrganizations}. */
        public String organizationsFolder() {
            return organizationsFolder;
        }

        /** {@code orderers} or {@code peers}. */
        public String nodesFolder() {
            return nodesFolder;
        }

        /** The {@code {{.Prefix}}} of cryptogen's default hostname template. */
        public String hostnamePrefix() {
            return hostnamePrefix;
        }
    }

    /**
     * One organization: its nodes (Specs, then Template), its user count ({@code User1..UserN}, besides
     * {@code Admin}) and its provider nodes ({@code <name>@<domain>} client identities with OU {@code provider}).
     */
    public record Org(OrgType type, String name, String domain, boolean enableNodeOUs, List<Node> nodes, int userCount,
                      List<String> providerNodes) {

        public Org {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(domain, "domain");
            nodes = List.copyOf(nodes);
            providerNodes = List.copyOf(providerNodes);
            if (name.isBlank() || domain.isBlank()) {
                throw new IllegalArgumentException("an org needs a Name and a Domain");
            }
            if (userCount < 0) {
                throw new IllegalArgumentException("org " + name + " has a negative user count");
            }
        }

        public String mspId() {
            return name + "MSP";
        }

        /** {@code Admin@<domain>}. */
        public String adminName() {
            return "Admin@" + domain;
        }

        /** {@code User1@<domain>} … {@code UserN@<domain>}. */
        public List<String> userNames() {
            var names = new ArrayList<String>();
            for (int i = 1; i <= userCount; i++) {
                names.add("User" + i + "@" + domain);
            }
            return names;
        }

        /** {@code node1@<domain>} … for each provider node. */
        public List<String> providerNames() {
            return providerNodes.stream().map(node -> node + "@" + domain).toList();
        }

        /** The node whose hostname ({@code peer0}) or common name ({@code peer0.org1.gridledger.example}) is given. */
        public Optional<Node> node(String hostnameOrCommonName) {
            return nodes.stream()
                    .filter(n -> n.hostname().equals(hostnameOrCommonName) || n.commonName().equals(hostnameOrCommonName))
                    .findFirst();
        }
    }

    /**
     * A peer or orderer: {@code hostname} ({@code peer0}), {@code commonName} ({@code peer0.org1.gridledger.example},
     * also its folder name) and the TLS subject alternative names (common name, hostname, then any explicit SANS).
     */
    public record Node(String hostname, String commonName, List<String> sans) {
        public Node {
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(commonName, "commonName");
            sans = List.copyOf(sans);
        }
    }

    /** Reads {@code crypto-config.yaml} and {@code provider-nodes.yaml} (if present) from {@code fabricDir}. */
    public static CryptoConfig load(Path fabricDir) {
        return load(fabricDir.resolve(CRYPTO_CONFIG_FILE), fabricDir.resolve(PROVIDER_NODES_FILE));
    }

    /** Reads a cryptogen config and a provider-node list; a missing provider-node file means no provider nodes. */
    public static CryptoConfig load(Path cryptoConfigYaml, Path providerNodesYaml) {
        try {
            var providers = Files.exists(providerNodesYaml) ? Files.readString(providerNodesYaml) : "";
            return parse(Files.readString(cryptoConfigYaml), providers);
        } catch (IOException e) {
            throw new CryptoMaterialException("cannot read " + cryptoConfigYaml + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new CryptoMaterialException("invalid " + cryptoConfigYaml + " or " + providerNodesYaml + ": "
                    + e.getMessage(), e);
        }
    }

    /** Parses the YAML texts of {@code crypto-config.yaml} and {@code provider-nodes.yaml}. */
    public static CryptoConfig parse(String cryptoConfigYaml, String providerNodesYaml) {
        var yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> root = mapOrEmpty(yaml.load(cryptoConfigYaml));
        Map<String, Object> providers = mapOrEmpty(yaml.load(providerNodesYaml));
        var orderers = listOf(root.get("OrdererOrgs")).stream()
                .map(spec -> org(OrgType.ORDERER, mapOrEmpty(spec), providers)).toList();
        var peers = listOf(root.get("PeerOrgs")).stream()
                .map(spec -> org(OrgType.PEER, mapOrEmpty(spec), providers)).toList();
        for (var name : providers.keySet()) {
            if (peers.stream().noneMatch(org -> org.name().equals(name))) {
                throw new IllegalArgumentException("provider nodes are listed for '" + name + "', which is no peer org");
            }
        }
        return new CryptoConfig(orderers, peers);
    }

    /** Orderer orgs first, then peer orgs. */
    public List<Org> orgs() {
        return Stream.concat(ordererOrgs.stream(), peerOrgs.stream()).toList();
    }

    public Optional<Org> org(String mspId) {
        return orgs().stream().filter(org -> org.mspId().equals(mspId)).findFirst();
    }

    /**
     * This config with exactly {@code count} peer orgs: the first {@code count} of the file, then {@code Org<i>} with
     * domain {@code org<i>.<base>} (base: the first orderer org's domain, else {@code gridledger.example}), one peer,
     * one user and provider node {@code node1}.
     */
    public CryptoConfig withPeerOrgs(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("devnet needs at least one peer org, not " + count);
        }
        var base = ordererOrgs.isEmpty() ? DEFAULT_BASE_DOMAIN : ordererOrgs.get(0).domain();
        var orgs = new ArrayList<>(peerOrgs.subList(0, Math.min(count, peerOrgs.size())));
        for (int i = orgs.size() + 1; i <= count; i++) {
            var domain = "org" + i + "." + base;
            orgs.add(new Org(OrgType.PEER, "Org" + i, domain, true,
                    List.of(node(OrgType.PEER.hostnamePrefix() + 0, null, domain, List.of())), 1, List.of("node1")));
        }
        return new CryptoConfig(ordererOrgs, orgs);
    }

    private static Org org(OrgType type, Map<String, Object> spec, Map<String, Object> providers) {
        var name = string(spec.get("Name"));
        var domain = string(spec.get("Domain"));
        var nodes = new ArrayList<Node>();
        for (var nodeSpec : listOf(spec.get("Specs"))) {
            var m = mapOrEmpty(nodeSpec);
            nodes.add(node(string(m.get("Hostname")), (String) m.get("CommonName"), domain, strings(m.get("SANS"))));
        }
        var template = mapOrEmpty(spec.get("Template"));
        int count = integer(template.get("Count"), 0);
        int start = integer(template.get("Start"), 0);
        var hostnameTemplate = (String) template.getOrDefault("Hostname", "{{.Prefix}}{{.Index}}");
        for (int i = start; i < start + count; i++) {
            var hostname = hostnameTemplate.replace("{{.Prefix}}", type.hostnamePrefix())
                    .replace("{{.Index}}", Integer.toString(i));
            nodes.add(node(hostname, null, domain, strings(template.get("SANS"))));
        }
        int users = type == OrgType.PEER ? integer(mapOrEmpty(spec.get("Users")).get("Count"), 0) : 0;
        var providerNodes = type == OrgType.PEER ? strings(providers.get(name)) : List.<String>of();
        return new Org(type, name, domain, Boolean.TRUE.equals(spec.get("EnableNodeOUs")), nodes, users, providerNodes);
    }

    /** cryptogen's rendering: CommonName defaults to {{.Hostname}}.{{.Domain}}; SANs are CN, hostname, then explicit ones. */
    private static Node node(String hostname, String commonNameTemplate, String domain, List<String> sanTemplates) {
        var commonName = render(commonNameTemplate == null ? "{{.Hostname}}.{{.Domain}}" : commonNameTemplate,
                hostname, domain, "");
        var sans = new ArrayList<String>(List.of(commonName, hostname));
        sanTemplates.forEach(san -> sans.add(render(san, hostname, domain, commonName)));
        return new Node(hostname, commonName, sans);
    }

    private static String render(String template, String hostname, String domain, String commonName) {
        return template.replace("{{.Hostname}}", hostname).replace("{{.Domain}}", domain)
                .replace("{{.CommonName}}", commonName);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOrEmpty(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static List<?> listOf(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    private static List<String> strings(Object value) {
        return listOf(value).stream().map(CryptoConfig::string).toList();
    }

    private static String string(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("a required name is missing");
        }
        return value.toString();
    }

    private static int integer(Object value, int otherwise) {
        return value == null ? otherwise : ((Number) value).intValue();
    }
}
