package io.gridledger.member;

import io.gridledger.agent.AgentApplication;
import io.gridledger.gateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The member compose file cannot drift from the services: every {@code GRIDLEDGER_*}, {@code KAFKA_*} and
 * {@code MICRONAUT_*} variable it gives the gateway and the agent is a key that service binds ({@link ServiceKeys},
 * collected from the services' own classes), each member's env file gives them every key a member needs, the Fabric
 * settings match network.sh's network (its connection profiles) and the README documents every variable.
 */
class MemberComposeTest {

    private static final Path MEMBER_DIR = Path.of("").toAbsolutePath();
    private static final Path COMPOSE_FILE = MEMBER_DIR.resolve("compose.yaml");
    private static final Path PROFILES = MEMBER_DIR.resolve("../fabric/connection-profiles").normalize();
    private static final Pattern CHECKED = Pattern.compile("(GRIDLEDGER|KAFKA|MICRONAUT)_.+");

    private static final ServiceKeys GATEWAY_KEYS = ServiceKeys.of(GatewayApplication.class);
    private static final ServiceKeys AGENT_KEYS = ServiceKeys.of(AgentApplication.class);

    private static final List<String> REQUIRED_BY_BOTH = List.of("GRIDLEDGER_FABRIC_MSP_ID",
            "GRIDLEDGER_FABRIC_PEER_ENDPOINT", "GRIDLEDGER_FABRIC_USERS_DIR", "GRIDLEDGER_FABRIC_TLS_CA_CERTIFICATE",
            "GRIDLEDGER_FABRIC_TLS_SERVER_NAME", "KAFKA_BOOTSTRAP_SERVERS");
    private static final List<String> REQUIRED_BY_GATEWAY = List.of("GRIDLEDGER_OBJECTS_ENDPOINT",
            "GRIDLEDGER_OBJECTS_ACCESS_KEY", "GRIDLEDGER_OBJECTS_SECRET_KEY", "GRIDLEDGER_OBJECTS_BUCKET",
            "GRIDLEDGER_API_DATA_DIR", "GRIDLEDGER_DISPATCH_CHECKPOINT_FILE", "MICRONAUT_SERVER_PORT");
    private static final List<String> REQUIRED_BY_AGENT = List.of("GRIDLEDGER_AGENT_IDENTITY",
            "GRIDLEDGER_AGENT_OFFER_ID", "GRIDLEDGER_AGENT_DATA_DIR", "GRIDLEDGER_AGENT_ENGINE_SOCKET",
            "GRIDLEDGER_AGENT_PORT");

    private static MemberCompose member(String org) {
        return MemberCompose.load(COMPOSE_FILE, MEMBER_DIR.resolve(org + ".env"));
    }

    @Test
    void the_key_collection_knows_real_keys_and_refuses_misspelled_or_foreign_ones() {
        assertThat(GATEWAY_KEYS.binds("GRIDLEDGER_FABRIC_PEER_ENDPOINT")).isTrue();
        assertThat(GATEWAY_KEYS.binds("GRIDLEDGER_OBJECTS_PUBLIC_ENDPOINT")).isTrue();
        assertThat(GATEWAY_KEYS.binds("GRIDLEDGER_API_MAX_BODY_BYTES")).as("an @Value placeholder").isTrue();
        assertThat(GATEWAY_KEYS.binds("MICRONAUT_SERVER_PORT")).as("the framework's server settings").isTrue();
        assertThat(GATEWAY_KEYS.binds("KAFKA_BOOTSTRAP_SERVERS")).as("a Kafka client config").isTrue();
        assertThat(AGENT_KEYS.binds("GRIDLEDGER_AGENT_GATEWAYS_ORG1MSP")).as("a key of a Map setting").isTrue();
        assertThat(AGENT_KEYS.binds("GRIDLEDGER_AGENT_PORT")).as("a placeholder of application.properties").isTrue();

        assertThat(GATEWAY_KEYS.binds("GRIDLEDGER_FABRIC_PEER_ENDPOINTS")).isFalse();
        assertThat(GATEWAY_KEYS.binds("GRIDLEDGER_AGENT_OFFER_ID")).as("the agent's, not the gateway's").isFalse();
        assertThat(AGENT_KEYS.binds("GRIDLEDGER_OBJECTS_ENDPOINT")).as("the gateway's, not the agent's").isFalse();
        assertThat(AGENT_KEYS.binds("GRIDLEDGER_AGENT_GATEWAYS_")).as("a map key needs a name").isFalse();
        assertThat(AGENT_KEYS.binds("KAFKA_BOOTSTRAP_SERVER")).isFalse();
        assertThat(AGENT_KEYS.binds("MICRONAUT_SERVER_PORTS")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"org1", "org2", "org3"})
    void every_variable_the_gateway_and_the_agent_get_is_a_key_they_bind(String org) {
        var compose = member(org);
        for (var service : Map.of("gateway", GATEWAY_KEYS, "agent", AGENT_KEYS).entrySet()) {
            var unbound = compose.environment(service.getKey()).keySet().stream()
                    .filter(name -> CHECKED.matcher(name).matches())
                    .filter(name -> !service.getValue().binds(name))
                    .toList();
            assertThat(unbound).as("%s's %s sets variables %s does not bind (%s)", org, service.getKey(),
                    service.getValue().service(), service.getValue()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"org1", "org2", "org3"})
    void each_member_file_sets_every_variable_the_compose_file_requires(String org) {
        var compose = member(org);
        Stream.of("kafka", "minio", "minio-init", "gateway", "agent").forEach(service -> {
            compose.environment(service);
            compose.volumes(service);
        });
        assertThat(compose.missing()).as("variables %s.env must set", org).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"org1", "org2", "org3"})
    void each_member_gives_its_gateway_and_its_agent_every_key_they_need(String org) {
        var compose = member(org);
        var gateway = compose.environment("gateway");
        var agent = compose.environment("agent");
        String mspId = compose.variables().get("MEMBER_MSP_ID");
        var needed = new ArrayList<String>();
        Stream.concat(REQUIRED_BY_BOTH.stream(), REQUIRED_BY_GATEWAY.stream())
                .filter(key -> gateway.getOrDefault(key, "").isBlank()).forEach(key -> needed.add("gateway " + key));
        Stream.concat(Stream.concat(REQUIRED_BY_BOTH.stream(), REQUIRED_BY_AGENT.stream()),
                        Stream.of("GRIDLEDGER_AGENT_GATEWAYS_" + mspId.toUpperCase(Locale.ROOT)))
                .filter(key -> agent.getOrDefault(key, "").isBlank()).forEach(key -> needed.add("agent " + key));
        assertThat(needed).as("%s: unset or empty", org).isEmpty();

        for (var shared : REQUIRED_BY_BOTH) {
            assertThat(agent.get(shared)).as("%s: the agent's %s is the gateway's", org, shared).isEqualTo(gateway.get(shared));
        }
        assertThat(URI.create(gateway.get("GRIDLEDGER_OBJECTS_ENDPOINT")).getPort())
                .as("the gateway's object store is this member's MinIO")
                .isEqualTo(Integer.parseInt(compose.variables().get("MEMBER_MINIO_PORT")));
        assertThat(gateway.get("KAFKA_BOOTSTRAP_SERVERS")).endsWith(":" + compose.variables().get("MEMBER_KAFKA_PORT"));
        assertThat(agent.get("GRIDLEDGER_AGENT_GATEWAYS_" + mspId.toUpperCase(Locale.ROOT)))
                .as("the agent reaches its own org's gateway at the gateway's port")
                .endsWith(":" + gateway.get("MICRONAUT_SERVER_PORT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"org1", "org2", "org3"})
    @SuppressWarnings("unchecked")
    void each_member_points_at_its_own_peer_of_the_network_sh_network(String org) throws IOException {
        var compose = member(org);
        var gateway = compose.environment("gateway");
        Map<String, Object> profile = json(PROFILES.resolve(org + ".json"));
        var organization = (Map<String, Object>) ((Map<String, Object>) profile.get("organizations")).values().iterator().next();
        String peerName = ((List<String>) organization.get("peers")).get(0);
        var peer = (Map<String, Object>) ((Map<String, Object>) profile.get("peers")).get(peerName);
        var url = URI.create((String) peer.get("url"));

        assertThat(gateway.get("GRIDLEDGER_FABRIC_MSP_ID")).isEqualTo(organization.get("mspid"));
        assertThat(gateway.get("GRIDLEDGER_FABRIC_PEER_ENDPOINT")).endsWith(":" + url.getPort());
        assertThat(gateway.get("GRIDLEDGER_FABRIC_TLS_SERVER_NAME"))
                .isEqualTo(((Map<String, Object>) peer.get("grpcOptions")).get("ssl-target-name-override"));

        // The TLS CA the services trust is the file the connection profile names, mounted read-only.
        Path profileCa = PROFILES.resolve((String) ((Map<String, Object>) peer.get("tlsCACerts")).get("path")).normalize();
        for (String service : List.of("gateway", "agent")) {
            var environment = compose.environment(service);
            var caMount = mountOf(compose, service, environment.get("GRIDLEDGER_FABRIC_TLS_CA_CERTIFICATE"));
            assertThat(MEMBER_DIR.resolve(caMount.source()).normalize()).as("%s's TLS CA", service).isEqualTo(profileCa);
            assertThat(caMount.readOnly()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"org1", "org2", "org3"})
    void the_services_read_identities_from_network_sh_s_users_folder_mounted_read_only(String org) {
        var compose = member(org);
        String domain = compose.variables().get("MEMBER_DOMAIN");
        Path orgUsers = MEMBER_DIR.resolve("../fabric/organizations/peerOrganizations/" + domain + "/users").normalize();

        var gateway = compose.environment("gateway");
        var gatewayUsers = mountOf(compose, "gateway", gateway.get("GRIDLEDGER_FABRIC_USERS_DIR"));
        assertThat(MEMBER_DIR.resolve(gatewayUsers.source()).normalize()).isEqualTo(orgUsers);
        assertThat(gatewayUsers.readOnly()).isTrue();

        // The agent gets its node's own folder only, under the users dir it is told, named as FileIdentities looks it up.
        var agent = compose.environment("agent");
        String identity = agent.get("GRIDLEDGER_AGENT_IDENTITY");
        var nodeFolder = mountOf(compose, "agent", agent.get("GRIDLEDGER_FABRIC_USERS_DIR") + "/" + identity + "@" + domain);
        assertThat(MEMBER_DIR.resolve(nodeFolder.source()).normalize()).isEqualTo(orgUsers.resolve(identity + "@" + domain));
        assertThat(nodeFolder.readOnly()).isTrue();
        assertThat(compose.volumes("agent")).noneMatch(mount -> MEMBER_DIR.resolve(mount.source()).normalize().equals(orgUsers));
    }

    @ParameterizedTest
    @ValueSource(strings = {"org1", "org2", "org3"})
    void the_agent_s_job_folders_are_at_the_same_path_on_the_host_and_the_engine_socket_is_mounted(String org) {
        var compose = member(org);
        var agent = compose.environment("agent");
        var dataDir = mountOf(compose, "agent", agent.get("GRIDLEDGER_AGENT_DATA_DIR"));
        assertThat(dataDir.source()).isEqualTo(dataDir.target()).isEqualTo(agent.get("GRIDLEDGER_AGENT_DATA_DIR"));
        assertThat(dataDir.readOnly()).isFalse();
        String socket = URI.create(agent.get("GRIDLEDGER_AGENT_ENGINE_SOCKET")).getPath();
        assertThat(compose.volumes("agent")).anyMatch(mount -> mount.target().equals(socket));
    }

    @Test
    void members_on_one_host_do_not_share_a_port_or_a_kafka_cluster_id() {
        var owners = new HashMap<String, String>();
        var clash = new ArrayList<String>();
        var clusterIds = new HashMap<String, String>();
        for (String org : List.of("org1", "org2", "org3")) {
            var variables = member(org).variables();
            variables.forEach((name, value) -> {
                if (name.endsWith("_PORT")) {
                    String previous = owners.putIfAbsent(value, org + " " + name);
                    if (previous != null) {
                        clash.add(value + ": " + previous + " and " + org + " " + name);
                    }
                }
            });
            String previous = clusterIds.putIfAbsent(variables.get("MEMBER_KAFKA_CLUSTER_ID"), org);
            assertThat(previous).as("%s's Kafka cluster id is also %s's", org, previous).isNull();
        }
        assertThat(clash).isEmpty();
    }

    @Test
    void every_member_file_names_every_member_s_gateway_alike() {
        var reference = member("org1").variables();
        for (String org : List.of("org2", "org3")) {
            var variables = member(org).variables();
            reference.keySet().stream().filter(name -> name.startsWith("GATEWAY_URL_"))
                    .forEach(name -> assertThat(variables.get(name)).as("%s %s", org, name).isEqualTo(reference.get(name)));
        }
        for (String org : List.of("org1", "org2", "org3")) {
            var variables = member(org).variables();
            String own = variables.get("GATEWAY_URL_" + variables.get("MEMBER_MSP_ID").toUpperCase(Locale.ROOT));
            assertThat(own).as("%s's own gateway URL", org).endsWith(":" + variables.get("MEMBER_GATEWAY_PORT"));
        }
    }

    @Test
    void the_readme_documents_every_variable_the_services_get_and_every_member_setting() throws IOException {
        String readme = Files.readString(MEMBER_DIR.resolve("README.md"));
        var compose = member("org1");
        var undocumented = new ArrayList<String>();
        for (String service : List.of("gateway", "agent")) {
            compose.environment(service).keySet().stream().filter(name -> CHECKED.matcher(name).matches())
                    .filter(name -> !readme.contains("`" + name + "`")).forEach(name -> undocumented.add(service + " " + name));
        }
        compose.variables().keySet().stream().filter(name -> !readme.contains("`" + name + "`"))
                .forEach(name -> undocumented.add("org1.env " + name));
        assertThat(undocumented).isEmpty();
    }

    private static MemberCompose.Mount mountOf(MemberCompose compose, String service, String containerPath) {
        return compose.volumes(service).stream().filter(mount -> mount.target().equals(containerPath)).findFirst()
                .orElseThrow(() -> new AssertionError(service + " has no volume mounted at " + containerPath));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
    }
}
