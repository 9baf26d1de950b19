package io.gridledger.gateway.api;

import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.gridledger.gateway.api.ApiTestKit.ADMIN_TOKEN;
import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.getAs;
import static io.gridledger.gateway.api.ApiTestKit.postAs;
import static io.gridledger.gateway.testkit.Fixtures.id;
import static io.gridledger.gateway.testkit.Fixtures.offer;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The org admin's endpoints over the real consortium: refused to partners; deposits that no retry applies twice, even
 * when the gateway crashed between submitting and recording; tokens stored hashed, revoked and expiring; governance;
 * and the read endpoints a partner has.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiIT implements TestPropertyProvider {

    private static final String ORG1 = "Org1MSP";
    private static final String NODE = account(ORG1, "node1");

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    IdempotencyStore records;

    @Inject
    IdempotentRequests idempotency;

    private String partner;
    private Path tokensFile;

    @Override
    public Map<String, String> getProperties() {
        LocalConsortium.shared();
        var properties = ApiTestKit.properties(Map.of("gridledger.api.unknown-outcome-window", "3s"));
        tokensFile = Path.of(properties.get("gridledger.api.auth.tokens-file"));
        return properties;
    }

    @BeforeAll
    void partner() {
        partner = ApiTestKit.partnerToken(client, "admin-tests", "User1");
    }

    @Test
    void admin_endpoints_refuse_partners() {
        var deposit = call(client, postAs("/api/v1/admin/deposits", Map.of("accountId", NODE, "amount", 5), partner));
        assertThat(deposit.status()).as(deposit.toString()).isEqualTo(403);
        assertThat(deposit.code()).isEqualTo("FORBIDDEN");
        assertThat(call(client, getAs("/api/v1/admin/tokens", partner)).status()).isEqualTo(403);
        assertThat(call(client, getAs("/api/v1/admin/accounts", partner)).status()).isEqualTo(403);
        assertThat(call(client, postAs("/api/v1/admin/tokens", Map.of("partnerId", "x", "identity", "User1",
                "scopes", new String[]{"admin"}, "expiresInSeconds", 60), partner)).status()).isEqualTo(403);
        assertThat(balance(NODE)).isNotNegative();
    }

    @Test
    void a_retried_deposit_returns_the_first_answer_and_deposits_once() {
        long before = balance(NODE);
        var body = Map.of("accountId", NODE, "amount", 40);
        var first = call(client, postAs("/api/v1/admin/deposits", body, ADMIN_TOKEN, "deposit-once"));
        var retried = call(client, postAs("/api/v1/admin/deposits", body, ADMIN_TOKEN, "deposit-once"));

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(retried.raw()).isEqualTo(first.raw());
        assertThat(first.body().get("balance").getLongValue()).isEqualTo(before + 40);
        assertThat(balance(NODE)).isEqualTo(before + 40);
        var other = call(client, postAs("/api/v1/admin/deposits", Map.of("accountId", NODE, "amount", 41), ADMIN_TOKEN, "deposit-once"));
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        var foreign = call(client, postAs("/api/v1/admin/deposits", Map.of("accountId", account("Org2MSP", "User1"), "amount", 1), ADMIN_TOKEN));
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(400);
        assertThat(foreign.fields()).containsExactly("accountId");
    }

    @Test
    void a_deposit_submitted_before_a_crash_is_found_on_the_ledger_by_its_tx_id_and_not_applied_again() {
        long before = balance(NODE);
        var movement = new AdminRequests.Movement(NODE, 77L);
        var txId = new AtomicReference<String>();
        // the gateway endorsed and submitted it, then crashed before recording the answer
        ledger().deposit("Admin", NODE, 77, txId::set);
        records.put(submitting("crash-committed", movement, txId.get(), Instant.now()));

        var retried = call(client, postAs("/api/v1/admin/deposits", Map.of("accountId", NODE, "amount", 77), ADMIN_TOKEN, "crash-committed"));

        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.body().get("txId").getStringValue()).isEqualTo(txId.get());
        assertThat(balance(NODE)).isEqualTo(before + 77);
    }

    @Test
    void a_deposit_whose_transaction_never_reached_the_ledger_waits_out_the_window_then_is_submitted_once() {
        long before = balance(NODE);
        var movement = new AdminRequests.Movement(NODE, 5L);
        records.put(submitting("crash-lost", movement, "0".repeat(64), Instant.now()));
        var body = Map.of("accountId", NODE, "amount", 5);

        var unknown = call(client, postAs("/api/v1/admin/deposits", body, ADMIN_TOKEN, "crash-lost"));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(503);
        assertThat(unknown.code()).isEqualTo("COMMIT_STATUS_UNKNOWN");
        assertThat(unknown.header("Retry-After")).isNotBlank();
        assertThat(balance(NODE)).isEqualTo(before);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> call(client, postAs("/api/v1/admin/deposits", body, ADMIN_TOKEN, "crash-lost")).status() == 200);
        assertThat(call(client, postAs("/api/v1/admin/deposits", body, ADMIN_TOKEN, "crash-lost")).status()).isEqualTo(200);
        assertThat(balance(NODE)).isEqualTo(before + 5);
    }

    @Test
    void tokens_are_shown_once_stored_hashed_listed_without_secrets_and_stop_working_when_revoked_or_expired() throws Exception {
        var created = call(client, postAs("/api/v1/admin/tokens", Map.of("partnerId", "carol", "identity", "User1",
                "scopes", new String[]{"jobs:read"}, "expiresInSeconds", 600), ADMIN_TOKEN, "token-carol"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var token = created.body().get("token").getStringValue();
        var tokenId = created.body().get("tokenId").getStringValue();
        assertThat(token).startsWith("glt_").hasSize(47);
        assertThat(Files.readString(tokensFile)).doesNotContain(token).contains(tokenId);
        var replay = call(client, postAs("/api/v1/admin/tokens", Map.of("partnerId", "carol", "identity", "User1",
                "scopes", new String[]{"jobs:read"}, "expiresInSeconds", 600), ADMIN_TOKEN, "token-carol"));
        assertThat(replay.body().get("tokenId").getStringValue()).isEqualTo(tokenId);
        assertThat(replay.body().get("token").isNull()).isTrue();
        var listed = call(client, getAs("/api/v1/admin/tokens", ADMIN_TOKEN));
        assertThat(listed.raw()).contains(tokenId).doesNotContain(token);
        assertThat(call(client, getAs("/api/v1/jobs", token)).status()).isEqualTo(200);

        assertThat(call(client, io.micronaut.http.HttpRequest.DELETE("/api/v1/admin/tokens/" + tokenId).bearerAuth(ADMIN_TOKEN)).status())
                .isEqualTo(204);
        assertThat(call(client, getAs("/api/v1/jobs", token)).status()).isEqualTo(401);

        var shortLived = call(client, postAs("/api/v1/admin/tokens", Map.of("partnerId", "dave", "identity", "User1",
                "scopes", new String[]{"jobs:read"}, "expiresInSeconds", 1), ADMIN_TOKEN)).body().get("token").getStringValue();
        await().atMost(Duration.ofSeconds(5)).until(() -> call(client, getAs("/api/v1/jobs", shortLived)).status() == 401);

        var asAdmin = call(client, postAs("/api/v1/admin/tokens", Map.of("partnerId", "eve", "identity", "Admin",
                "scopes", new String[]{"jobs:read"}, "expiresInSeconds", 60), ADMIN_TOKEN));
        assertThat(asAdmin.status()).as(asAdmin.toString()).isEqualTo(400);
        assertThat(asAdmin.fields()).containsExactly("identity");
        var badScope = call(client, postAs("/api/v1/admin/tokens", Map.of("partnerId", "eve", "identity", "User1",
                "scopes", new String[]{"root"}, "expiresInSeconds", 60), ADMIN_TOKEN));
        assertThat(badScope.status()).as(badScope.toString()).isEqualTo(400);
    }

    @Test
    void the_admin_proposes_parameters_naming_the_version_they_amend_and_an_approval_is_answered_by_the_contract() {
        // Org1's approval alone is no majority of three: the proposal stays OPEN and the consortium's parameters keep
        // their version (other tests of this JVM read it). A second approval by the same org is refused.
        var current = ledger().getParameters("User1");
        var proposalId = id("proposal", "api");
        var body = Map.of("proposalId", proposalId, "amendsVersion", current.version(),
                "expiresAt", Instant.now().getEpochSecond() + 3600, "parameters", current.withoutVersion());
        var proposed = call(client, postAs("/api/v1/admin/proposals", body, ADMIN_TOKEN, "propose-1"));
        assertThat(proposed.status()).as(proposed.toString()).isEqualTo(201);
        assertThat(proposed.header("Location")).isEqualTo("/api/v1/consortium/proposals/" + proposalId);
        assertThat(proposed.body().get("status").getStringValue()).isEqualTo("OPEN");
        assertThat(call(client, postAs("/api/v1/admin/proposals", body, ADMIN_TOKEN, "propose-1")).raw()).isEqualTo(proposed.raw());
        var again = call(client, postAs("/api/v1/admin/proposals", body, ADMIN_TOKEN));
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("ALREADY_EXISTS");

        var read = call(client, getAs("/api/v1/consortium/proposals/" + proposalId, partner));
        assertThat(read.body().get("approvals").size()).isEqualTo(1);
        assertThat(read.body().get("amendsVersion").getLongValue()).isEqualTo(current.version());
        var twice = call(client, postAs("/api/v1/admin/proposals/" + proposalId + "/approvals", Map.of(), ADMIN_TOKEN));
        assertThat(twice.status()).as(twice.toString()).isEqualTo(409);
        assertThat(ledger().getParameters("User1").version()).isEqualTo(current.version());
        var badExpiry = call(client, postAs("/api/v1/admin/proposals", Map.of("proposalId", proposalId + "-x",
                "amendsVersion", current.version(), "expiresAt", -1, "parameters", current.withoutVersion()), ADMIN_TOKEN));
        assertThat(badExpiry.status()).isEqualTo(400);
        assertThat(badExpiry.fields()).containsExactly("expiresAt");
    }

    @Test
    void a_partner_reads_offers_reputation_the_consortium_and_its_own_account() {
        var labels = pool("api-reads");
        var org2 = TestLedgers.of("Org2MSP");
        org2.deposit("Admin", account("Org2MSP", "node1"), 5_000);
        var offerId = id("offer", "api-reads");
        org2.publishOffer("node1", offer(offerId, 13, 1, labels));

        var byClass = call(client, getAs("/api/v1/offers?class=amd64/cpu&maxUnitPrice=13&pageSize=200", partner));
        assertThat(byClass.status()).as(byClass.toString()).isEqualTo(200);
        assertThat(byClass.raw()).contains(offerId);
        var byNode = call(client, getAs("/api/v1/offers?node=" + account("Org2MSP", "node1") + "&pageSize=200", partner));
        assertThat(byNode.raw()).contains(offerId);
        assertThat(call(client, getAs("/api/v1/offers/" + offerId, partner)).body().get("unitPrice").getLongValue()).isEqualTo(13);
        assertThat(call(client, getAs("/api/v1/offers/no-such-offer", partner)).status()).isEqualTo(404);
        var neither = call(client, getAs("/api/v1/offers", partner));
        assertThat(neither.status()).isEqualTo(400);
        assertThat(neither.fields()).containsExactly("class");

        assertThat(call(client, getAs("/api/v1/reputation/node?nodeId=" + account("Org2MSP", "node1"), partner)).status()).isEqualTo(200);
        assertThat(call(client, getAs("/api/v1/reputation/orgs/Org2MSP", partner)).body().get("subject").getStringValue()).isEqualTo("Org2MSP");
        assertThat(call(client, getAs("/api/v1/consortium/parameters", partner)).body().get("members").size()).isEqualTo(3);
        assertThat(call(client, getAs("/api/v1/consortium/members", partner)).body().size()).isEqualTo(3);
        var own = call(client, getAs("/api/v1/account", partner));
        assertThat(own.body().get("accountId").getStringValue()).isEqualTo(account(ORG1, "User1"));
        var accounts = call(client, getAs("/api/v1/admin/accounts?pageSize=200", ADMIN_TOKEN));
        assertThat(accounts.status()).isEqualTo(200);
        accounts.body().get("items").values().forEach(a -> assertThat(a.get("org").getStringValue()).isEqualTo(ORG1));
    }

    // --- fixtures ---

    private IdempotencyRecord submitting(String key, AdminRequests.Movement movement, String txId, Instant at) {
        return new IdempotencyRecord("admin", key, idempotency.requestHash("Deposit", movement),
                IdempotencyRecord.State.SUBMITTING, txId, null, at, at);
    }

    private static Ledger ledger() {
        return TestLedgers.of(ORG1);
    }

    private static long balance(String accountId) {
        return ledger().getAccount("User1", accountId).balance();
    }
}
