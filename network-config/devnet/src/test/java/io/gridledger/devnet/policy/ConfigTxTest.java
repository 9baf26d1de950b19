package io.gridledger.devnet.policy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTxTest {

    /** The fixture next to this class; surefire runs in the module folder and says so in {@code basedir}. */
    private static final Path CONFIGTX = Path.of(System.getProperty("basedir", ""))
            .resolve("src/test/java/io/gridledger/devnet/policy/configtx.yaml").toAbsolutePath();

    private static ChannelDefinition gridLedger() {
        return ConfigTx.read(CONFIGTX, "GridLedgerChannel", "gridledger");
    }

    @Nested
    class ReadsTheProfile {

        @Test
        void names_the_channel_and_profile() {
            var channel = gridLedger();
            assertThat(channel.channelName()).isEqualTo("gridledger");
            assertThat(channel.profile()).isEqualTo("GridLedgerChannel");
        }

        @Test
        void lists_the_application_orgs_from_their_anchors_in_file_order() {
            var channel = gridLedger();
            assertThat(channel.applicationOrgs()).extracting(ChannelDefinition.Organization::name)
                    .containsExactly("Org1", "Org2", "Org3");
            assertThat(channel.applicationMspIds()).containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
            assertThat(channel.applicationOrg("Org2MSP")).map(ChannelDefinition.Organization::name).hasValue("Org2");
        }

        @Test
        void resolves_msp_dirs_against_the_folder_of_the_file_and_keeps_absolute_ones() {
            var folder = CONFIGTX.getParent();
            var channel = gridLedger();
            assertThat(channel.applicationOrg("Org1MSP").orElseThrow().mspDir())
                    .isEqualTo(folder.resolve("../organizations/peerOrganizations/org1.example.com/msp").normalize());
            assertThat(channel.applicationOrg("Org3MSP").orElseThrow().mspDir())
                    .isEqualTo(Path.of("/etc/hyperledger/org3/msp"));
            assertThat(channel.applicationOrg("Org1MSP").orElseThrow().mspType()).isEqualTo("bccsp");
        }

        @Test
        void reads_org_policies_with_their_type_and_rule() {
            var policies = gridLedger().applicationOrg("Org1MSP").orElseThrow().policies();
            assertThat(policies).containsOnlyKeys("Admins", "Endorsement", "Readers", "Writers");
            var endorsement = policies.get("Endorsement");
            assertThat(endorsement.type()).isEqualTo("Signature");
            assertThat(endorsement.ruleText()).isEqualTo("OR('Org1MSP.peer')");
            assertThat(((ConfigPolicy.Signature) endorsement).envelope())
                    .isEqualTo(SignaturePolicies.parse("OR('Org1MSP.peer')"));
        }

        @Test
        void reads_the_merged_application_policies() {
            var policies = gridLedger().applicationPolicies();
            assertThat(policies).containsOnlyKeys("Admins", "Endorsement", "LifecycleEndorsement", "Readers", "Writers");
            assertThat(policies.get("Endorsement"))
                    .isEqualTo(new ImplicitMetaPolicy(ImplicitMetaPolicy.Rule.MAJORITY, "Endorsement"));
            assertThat(policies.get("Readers").ruleText()).isEqualTo("ANY Readers");
        }

        @Test
        void keeps_only_the_capabilities_set_to_true_through_merge_keys() {
            var channel = gridLedger();
            assertThat(channel.applicationCapabilities()).containsExactly("V2_5");
            assertThat(channel.channelCapabilities()).containsExactly("V2_0");
            assertThat(channel.orderer().capabilities()).containsExactly("V2_0");
        }

        @Test
        void lets_the_profile_override_merged_orderer_defaults() {
            var orderer = gridLedger().orderer();
            assertThat(orderer.type()).isEqualTo("etcdraft");
            assertThat(orderer.batchTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(orderer.batchSize())
                    .isEqualTo(new ChannelDefinition.BatchSize(100, 10L * 1024 * 1024, 512L * 1024));
            assertThat(orderer.addresses()).containsExactly("orderer.example.com:7050");
            assertThat(orderer.organizations()).extracting(ChannelDefinition.Organization::mspId)
                    .containsExactly("OrdererMSP");
            assertThat(orderer.organizations().get(0).ordererEndpoints()).containsExactly("orderer.example.com:7050");
            assertThat(orderer.policies()).containsKey("BlockValidation");
        }

        @Test
        void inherits_the_orderer_defaults_a_profile_does_not_override() {
            var orderer = ConfigTx.read(CONFIGTX, "TwoOrgsSoloChannel", "two").orderer();
            assertThat(orderer.type()).isEqualTo("solo");
            assertThat(orderer.batchTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(orderer.batchSize()).isEqualTo(new ChannelDefinition.BatchSize(10, 99L << 20, 512L << 10));
        }
    }

    @Nested
    class BuildsChannelPolicies {

        private final ChannelPolicies policies = gridLedger().policies();

        @Test
        void whose_endorsement_policy_needs_a_majority_of_the_three_orgs() {
            var org1 = TestIdentity.peer("Org1MSP");
            var org2 = TestIdentity.peer("Org2MSP");
            assertThat(policies.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, List.of(org1, org2))).isTrue();
            assertThat(policies.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, List.of(org1))).isFalse();
            assertThat(policies.isSatisfied(ChannelPolicies.APPLICATION_LIFECYCLE_ENDORSEMENT, List.of(org1)))
                    .isFalse();
        }

        @Test
        void where_a_client_cannot_endorse_for_its_org() {
            var org1 = TestIdentity.peer("Org1MSP");
            var org2Client = TestIdentity.client("Org2MSP", "carol");
            assertThat(policies.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, List.of(org1, org2Client)))
                    .isFalse();
        }

        @Test
        void with_org_groups_named_by_org_name() {
            assertThat(policies.find("/Channel/Application/Org1/Endorsement")).isPresent();
            assertThat(policies.find("/Channel/Application/Org1MSP/Endorsement")).isEmpty();
        }

        @Test
        void where_the_orderer_signs_blocks_for_block_validation() {
            var orderer = TestIdentity.of("OrdererMSP", io.gridledger.devnet.msp.Identity.NodeRole.ORDERER,
                    "orderer.example.com");
            assertThat(policies.isSatisfied(ChannelPolicies.ORDERER_BLOCK_VALIDATION, List.of(orderer))).isTrue();
            assertThat(policies.isSatisfied(ChannelPolicies.ORDERER_BLOCK_VALIDATION,
                    List.of(TestIdentity.peer("Org1MSP")))).isFalse();
        }
    }

    @Nested
    class RefusesWithTheProfileAndPartAtFault {

        private static final String READERS = "Readers: {Type: Signature, Rule: \"OR('Org1MSP.member')\"}";
        private static final String WRITERS = "Writers: {Type: Signature, Rule: \"OR('Org1MSP.member')\"}";
        private static final String ADMINS = "Admins: {Type: Signature, Rule: \"OR('Org1MSP.admin')\"}";

        @TempDir
        Path folder;

        private Path write(String yaml) throws IOException {
            var file = folder.resolve("configtx.yaml");
            Files.writeString(file, yaml);
            return file;
        }

        @Test
        void an_unknown_profile() {
            assertThatThrownBy(() -> ConfigTx.read(CONFIGTX, "NoSuchProfile", "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("profile NoSuchProfile is not in")
                    .hasMessageContaining("GridLedgerChannel");
        }

        @Test
        void an_org_without_an_admins_policy() throws IOException {
            var file = write(minimalProfile(READERS, WRITERS));
            assertThatThrownBy(() -> ConfigTx.read(file, "P", "c"))
                    .hasMessageContaining("profile P: Application: organization Org1: Policies: no Admins policy defined");
        }

        @Test
        void a_policy_rule_that_does_not_parse() throws IOException {
            var file = write(minimalProfile(READERS, WRITERS,
                    "Admins: {Type: Signature, Rule: \"OR('Org1MSP.boss')\"}"));
            assertThatThrownBy(() -> ConfigTx.read(file, "P", "c"))
                    .hasMessageContaining("organization Org1: Policies: Admins: invalid signature policy")
                    .hasMessageContaining("'Org1MSP.boss'");
        }

        @Test
        void an_unknown_policy_type() throws IOException {
            var file = write(minimalProfile(READERS, WRITERS,
                    "Admins: {Type: Majority, Rule: \"Admins\"}"));
            assertThatThrownBy(() -> ConfigTx.read(file, "P", "c"))
                    .hasMessageContaining("Admins: unknown policy type: 'Majority'");
        }

        @Test
        void a_batch_timeout_without_a_unit() throws IOException {
            var file = write(minimalProfile(READERS, WRITERS, ADMINS).replace("BatchTimeout: 1s", "BatchTimeout: \"250\""));
            assertThatThrownBy(() -> ConfigTx.read(file, "P", "c"))
                    .hasMessageContaining("profile P: Orderer: BatchTimeout: missing unit in duration \"250\"");
        }

        @Test
        void accepts_the_minimal_profile_these_cases_break() throws IOException {
            var file = write(minimalProfile(READERS, WRITERS, ADMINS));
            var channel = ConfigTx.read(file, "P", "c");
            assertThat(channel.applicationOrgs()).singleElement()
                    .satisfies(org -> assertThat(org.mspDir()).isEqualTo(folder.resolve("msp")));
            assertThat(channel.orderer().batchTimeout()).isEqualTo(Duration.ofSeconds(1));
        }

        /** A one-org profile, written with lower-case field names, which configtxgen accepts too. */
        private static String minimalProfile(String... org1Policies) {
            var policies = String.join("\n", java.util.Arrays.stream(org1Policies).map(p -> " ".repeat(12) + p)
                    .toList());
            return """
                    Profiles:
                      P:
                        policies:
                          Readers: {Type: ImplicitMeta, Rule: ANY Readers}
                          Writers: {Type: ImplicitMeta, Rule: ANY Writers}
                          Admins: {Type: ImplicitMeta, Rule: MAJORITY Admins}
                        orderer:
                          BatchTimeout: 1s
                          policies:
                            Readers: {Type: ImplicitMeta, Rule: ANY Readers}
                            Writers: {Type: ImplicitMeta, Rule: ANY Writers}
                            Admins: {Type: ImplicitMeta, Rule: MAJORITY Admins}
                            BlockValidation: {Type: ImplicitMeta, Rule: ANY Writers}
                        application:
                          policies:
                            Readers: {Type: ImplicitMeta, Rule: ANY Readers}
                            Writers: {Type: ImplicitMeta, Rule: ANY Writers}
                            Admins: {Type: ImplicitMeta, Rule: MAJORITY Admins}
                          organizations:
                            - name: Org1
                              id: Org1MSP
                              mspdir: msp
                              policies:
                    %s
                    """.formatted(policies);
        }
    }

    @Nested
    class ParsesGoDurations {

        @ParameterizedTest
        @CsvSource({
                "250ms, PT0.25S",
                "2s, PT2S",
                "1m30s, PT1M30S",
                "1.5h, PT1H30M",
                "0, PT0S",
                "300us, PT0.0003S",
                "1h2m3.5s, PT1H2M3.5S",
                ".5s, PT0.5S"})
        void as_go_does(String text, Duration expected) {
            assertThat(ConfigTx.parseGoDuration(text)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"250", "", "s", "2 s", "2sec", "1.2.3s"})
        void and_refuses_what_go_refuses(String text) {
            assertThatThrownBy(() -> ConfigTx.parseGoDuration(text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("duration");
        }
    }

    @Nested
    class ParsesByteSizes {

        @ParameterizedTest
        @CsvSource({
                "10 MB, 10485760",
                "512 KB, 524288",
                "99 MB, 103809024",
                "2mb, 2097152",
                "1G, 1073741824",
                "3k, 3072",
                "1048576, 1048576"})
        void as_configtxgen_does(String text, long expected) {
            assertThat(ConfigTx.parseByteSize(text)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"10 TB", "ten MB", "4G", "10 MiB"})
        void and_refuses_sizes_that_are_not_sizes_or_overflow_32_bits(String text) {
            assertThatThrownBy(() -> ConfigTx.parseByteSize(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
