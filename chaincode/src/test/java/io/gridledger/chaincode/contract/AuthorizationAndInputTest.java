package io.gridledger.chaincode.contract;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.gridledger.chaincode.contract.Consortium.ORG1;
import static io.gridledger.chaincode.contract.Consortium.ORG2;
import static io.gridledger.chaincode.contract.Consortium.account;
import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal carries a code, says what was wrong, and changes nothing. */
class AuthorizationAndInputTest {

    Consortium net;

    @BeforeEach
    void start() {
        net = Consortium.started();
    }

    private void assertRefused(io.gridledger.chaincode.testing.TxResult result, String code) {
        assertThat(result.ok()).as("expected %s to be refused", result).isFalse();
        assertThat(result.errorCode()).isEqualTo(code);
        assertThat(result.message()).startsWith(code + ": ");
        assertThat(result.writes()).isEmpty();
        assertThat(result.event()).isEmpty();
    }

    @Nested
    class Roles {

        @Test
        void a_client_cannot_publish_offers() {
            net.fund(net.client, 10_000);
            assertRefused(net.submit(net.client, "PublishOffer", Consortium.offerJson("o", 10, 1, 1_000)), "FORBIDDEN");
        }

        @Test
        void a_provider_node_enrolled_by_fabric_ca_publishes_offers_by_its_ou_alone() {
            // Fabric CA's subject: "OU=client+OU=provider" in one multi-valued RDN, and no gridledger.role attribute.
            var node = Consortium.ids().fabricCaEnrolled(ORG1, "node9@org1.gridledger.example", "client", "provider",
                    java.util.Map.of());
            net.fund(node, 10_000);
            assertThat(net.submit(node, "PublishOffer", Consortium.offerJson("fabric-ca-offer", 10, 1, 1_000)).ok())
                    .isTrue();
        }

        @Test
        void a_provider_node_cannot_submit_jobs() {
            var provider = net.provider(ORG1, "node1");
            net.fund(provider, 100_000);
            assertRefused(net.submit(provider, "SubmitJob",
                    Consortium.jobJson("job-1", 1, 1, 10, 600, Consortium.START.getEpochSecond() + 3600)), "FORBIDDEN");
        }

        @Test
        void an_org_admin_deposits_only_into_accounts_of_its_own_org() {
            assertRefused(net.submit(net.admin1, "Deposit", ORG2 + "/bob", "100"), "FORBIDDEN");
            assertThat(net.submit(net.admin2, "Deposit", ORG2 + "/bob", "100").ok()).isTrue();
        }

        @Test
        void a_client_cannot_deposit_credits() {
            assertRefused(net.submit(net.client, "Deposit", account(net.client), "100"), "FORBIDDEN");
        }

        @Test
        void an_identity_of_a_non_member_org_cannot_transact() {
            assertRefused(net.submit(net.outsider(), "SubmitJob",
                    Consortium.jobJson("job-1", 1, 1, 10, 600, Consortium.START.getEpochSecond() + 3600)), "FORBIDDEN");
            assertRefused(net.submit(net.outsider(), "MatchJobs", "[\"job-1\"]", "[]"), "FORBIDDEN");
        }

        @Test
        void the_role_attribute_overrides_the_node_ou() {
            var adminByAttribute = Consortium.ids().withAttributes(ORG1, "ops", "client",
                    java.util.Map.of("gridledger.role", "admin"));
            assertThat(net.submit(adminByAttribute, "Deposit", ORG1 + "/carol", "5").ok()).isTrue();
        }
    }

    @Nested
    class Accounts {

        @Test
        void a_transfer_larger_than_the_balance_is_refused_and_balances_never_go_negative() {
            net.fund(net.client, 100);
            assertRefused(net.submit(net.client, "Transfer", ORG1 + "/bob", "101"), "INSUFFICIENT_FUNDS");
            assertThat(net.balance(net.client)).isEqualTo(100);
        }

        @Test
        void a_transfer_moves_credits_between_identities_of_different_orgs() {
            net.fund(net.client, 100);
            net.ok(net.client, "Transfer", ORG1 + "/bob", "40");
            assertThat(net.balance(net.client)).isEqualTo(60);
            assertThat(net.balance(ORG1 + "/bob")).isEqualTo(40);
        }

        @Test
        void a_withdrawal_beyond_the_balance_is_refused() {
            net.fund(net.client, 100);
            assertRefused(net.submit(net.admin3, "Withdraw", account(net.client), "101"), "INSUFFICIENT_FUNDS");
            net.ok(net.admin3, "Withdraw", account(net.client), "100");
            assertThat(net.balance(net.client)).isZero();
        }

        @Test
        void a_job_the_client_cannot_pay_for_is_refused() {
            net.fund(net.client, 10);
            assertRefused(net.submit(net.client, "SubmitJob",
                    Consortium.jobJson("job-1", 2, 2, 20, 600, Consortium.START.getEpochSecond() + 3600)), "INSUFFICIENT_FUNDS");
        }

        @Test
        void accounts_are_listed_with_pagination() {
            for (int i = 0; i < 5; i++) {
                net.ok(net.admin1, "Deposit", ORG1 + "/user" + i, Integer.toString(10 + i));
            }
            var seen = new java.util.ArrayList<String>();
            var bookmark = "";
            do {
                var page = net.query("ListAccounts", "2", bookmark);
                page.get("items").forEach(a -> seen.add(a.get("accountId").asText() + "=" + a.get("balance").asLong()));
                bookmark = page.get("bookmark").asText();
            } while (!bookmark.isEmpty());
            assertThat(seen).containsExactly(ORG1 + "/user0=10", ORG1 + "/user1=11", ORG1 + "/user2=12",
                    ORG1 + "/user3=13", ORG1 + "/user4=14");
        }
    }

    @Nested
    class BadInput {

        @BeforeEach
        void fund() {
            net.fund(net.client, 1_000_000);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "not json", "{}", "[]", "null", "{\"jobId\":\"j\"} trailing"})
        void malformed_job_json_is_invalid_argument(String json) {
            assertRefused(net.submit(net.client, "SubmitJob", json), "INVALID_ARGUMENT");
        }

        @Test
        void an_unknown_field_is_named_in_the_error() {
            var json = Consortium.jobJson("job-1", 1, 1, 10, 600, Consortium.START.getEpochSecond() + 3600)
                    .replace("{\"command\"", "{\"priority\":9,\"command\"");
            var result = net.submit(net.client, "SubmitJob", json);
            assertRefused(result, "INVALID_ARGUMENT");
            assertThat(result.message()).contains("priority");
        }

        @Test
        void an_image_not_pinned_by_digest_is_refused() {
            var json = Consortium.jobJson("job-1", 1, 1, 10, 600, Consortium.START.getEpochSecond() + 3600)
                    .replace(Consortium.IMAGE, "registry.local/sim:latest");
            var result = net.submit(net.client, "SubmitJob", json);
            assertRefused(result, "INVALID_ARGUMENT");
            assertThat(result.message()).contains("image");
        }

        @Test
        void an_input_without_a_sha256_is_refused() {
            var json = Consortium.jobJson("job-1", 1, 1, 10, 600, Consortium.START.getEpochSecond() + 3600)
                    .replace("b".repeat(64), "xyz");
            assertRefused(net.submit(net.client, "SubmitJob", json), "INVALID_ARGUMENT");
        }

        @Test
        void negative_and_absurd_numbers_are_refused() {
            var base = Consortium.jobJson("job-1", 1, 1, 10, 600, Consortium.START.getEpochSecond() + 3600);
            for (var bad : List.of(base.replace("\"cpuMillis\":2000", "\"cpuMillis\":-1"),
                    base.replace("\"timeoutSeconds\":600", "\"timeoutSeconds\":99999999999"),
                    base.replace("\"maxUnitPrice\":10", "\"maxUnitPrice\":0"),
                    base.replace("\"cpuMillis\":2000", "\"cpuMillis\":2.5"))) {
                assertRefused(net.submit(net.client, "SubmitJob", bad), "INVALID_ARGUMENT");
            }
            assertRefused(net.submit(net.admin3, "Deposit", account(net.client), "-5"), "INVALID_ARGUMENT");
            assertRefused(net.submit(net.admin3, "Deposit", account(net.client), "12abc"), "INVALID_ARGUMENT");
            assertRefused(net.submit(net.admin3, "Deposit", account(net.client), "99999999999999999999"), "INVALID_ARGUMENT");
        }

        @Test
        void a_number_sent_as_a_string_is_refused() {
            var json = Consortium.jobJson("job-1", 1, 1, 10, 600, Consortium.START.getEpochSecond() + 3600)
                    .replace("\"maxUnitPrice\":10", "\"maxUnitPrice\":\"10\"");
            assertRefused(net.submit(net.client, "SubmitJob", json), "INVALID_ARGUMENT");
        }

        @Test
        void a_deadline_too_close_to_run_the_timeout_is_refused() {
            var json = Consortium.jobJson("job-1", 1, 1, 10, 600, Consortium.START.getEpochSecond() + 60);
            assertRefused(net.submit(net.client, "SubmitJob", json), "INVALID_ARGUMENT");
        }

        @Test
        void a_quorum_that_is_not_a_majority_is_refused() {
            var json = Consortium.jobJson("job-1", 4, 2, 10, 600, Consortium.START.getEpochSecond() + 3600);
            assertRefused(net.submit(net.client, "SubmitJob", json), "INVALID_ARGUMENT");
        }

        @Test
        void a_job_id_used_twice_is_refused() {
            net.submitJob("job-1", 1, 1, 10);
            assertRefused(net.submit(net.client, "SubmitJob",
                    Consortium.jobJson("job-1", 1, 1, 10, 600, Consortium.START.getEpochSecond() + 3600)), "ALREADY_EXISTS");
        }

        @Test
        void unknown_jobs_and_offers_are_not_found() {
            assertThat(net.ledger.evaluate(net.client, "GetJob", "nope").errorCode()).isEqualTo("NOT_FOUND");
            assertThat(net.ledger.evaluate(net.client, "GetOffer", "nope").errorCode()).isEqualTo("NOT_FOUND");
            assertRefused(net.submit(net.client, "CancelJob", "nope"), "NOT_FOUND");
        }

        @Test
        void committing_to_a_queued_job_is_a_wrong_state() {
            net.submitJob("job-1", 1, 1, 10);
            var provider = net.provider(ORG1, "node1");
            assertRefused(net.submit(provider, "CommitResult", "job-1", "0", "c".repeat(64)), "WRONG_STATE");
        }

        @Test
        void an_out_of_range_replica_index_is_refused() {
            net.providerWithOffer(ORG1, "node1", "offer-1", 10, 1);
            net.submitJob("job-1", 1, 1, 10);
            net.match("job-1");
            var provider = net.provider(ORG1, "node1");
            assertRefused(net.submit(provider, "CommitResult", "job-1", "4294967296", "c".repeat(64)), "INVALID_ARGUMENT");
            assertRefused(net.submit(provider, "CommitResult", "job-1", "1", "c".repeat(64)), "INVALID_ARGUMENT");
        }
    }

    @Nested
    class Governance {

        @Test
        void the_ledger_cannot_be_initialised_twice() {
            assertRefused(net.submit(net.admin3, "InitLedger", Consortium.paramsJson(Consortium.ORGS, 5)), "ALREADY_EXISTS");
        }

        @Test
        void before_initialisation_transactions_say_so() {
            var fresh = Consortium.uninitialised();
            assertThat(fresh.submit(fresh.client, "SubmitJob", "{}").errorCode()).isIn("INVALID_ARGUMENT", "NOT_INITIALIZED");
            assertThat(fresh.submit(fresh.admin1, "Deposit", ORG1 + "/x", "1").errorCode()).isEqualTo("NOT_INITIALIZED");
            assertThat(fresh.submit(fresh.client, "InitLedger", Consortium.paramsJson(Consortium.ORGS, 5)).errorCode())
                    .isEqualTo("FORBIDDEN");
        }

        @Test
        void parameters_change_only_when_a_majority_of_member_orgs_approve_and_get_the_next_version() {
            long expires = Consortium.START.getEpochSecond() + 3_600;
            var proposed = net.ok(net.admin1, "ProposeParameters", "p-1", "1", Long.toString(expires), Consortium.paramsJson(Consortium.ORGS, 5_000));
            assertThat(proposed.event().orElseThrow().name()).isEqualTo("ParametersProposed");
            assertThat(proposed.event().orElseThrow().payloadString()).contains("\"proposalId\":\"p-1\"");
            assertThat(net.query("GetParameters").get("minStakePerSlot").asLong()).isEqualTo(Consortium.MIN_STAKE);
            assertRefused(net.submit(net.admin1, "ApproveProposal", "p-1"), "ALREADY_EXISTS");
            assertRefused(net.submit(net.client, "ApproveProposal", "p-1"), "FORBIDDEN");

            var applied = net.ok(net.admin2, "ApproveProposal", "p-1");

            assertThat(applied.event().orElseThrow().name()).isEqualTo("ParametersChanged");
            assertThat(applied.event().orElseThrow().payloadString()).contains("\"proposalId\":\"p-1\"");
            var params = net.query("GetParameters");
            assertThat(params.get("minStakePerSlot").asLong()).isEqualTo(5_000);
            assertThat(params.get("version").asLong()).isEqualTo(2);
            assertThat(net.query("GetProposal", "p-1").get("status").asText()).isEqualTo("APPLIED");
            assertRefused(net.submit(net.admin3, "ApproveProposal", "p-1"), "WRONG_STATE");
        }

        @Test
        void a_proposal_must_amend_the_current_version_and_expire_within_thirty_days() {
            long now = Consortium.START.getEpochSecond();
            var params = Consortium.paramsJson(Consortium.ORGS, 5_000);

            assertRefused(net.submit(net.admin1, "ProposeParameters", "p-1", "0", Long.toString(now + 60), params), "WRONG_STATE");
            assertRefused(net.submit(net.admin1, "ProposeParameters", "p-1", "1", Long.toString(now), params), "INVALID_ARGUMENT");
            assertRefused(net.submit(net.admin1, "ProposeParameters", "p-1", "1", Long.toString(now + 31 * 86_400), params),
                    "INVALID_ARGUMENT");
        }

        @Test
        void the_ledger_assigns_the_version_and_refuses_one_in_a_request() {
            var withVersion = Consortium.json(Consortium.map("version", 7).entrySet().stream().collect(
                    java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue, (a, b) -> a,
                            () -> new java.util.TreeMap<String, Object>(Consortium.paramsMap(Consortium.ORGS, 5)))));

            assertRefused(net.submit(net.admin1, "ProposeParameters", "p-1", "1",
                    Long.toString(Consortium.START.getEpochSecond() + 60), withVersion), "INVALID_ARGUMENT");
        }
    }
}
