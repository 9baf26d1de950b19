package io.gridledger.gateway.api;

import io.gridledger.ledger.Assignment;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.testkit.TestLedgers;
import io.micronaut.http.client.HttpClient;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.gridledger.gateway.api.ApiTestKit.call;
import static io.gridledger.gateway.api.ApiTestKit.job;
import static io.gridledger.gateway.api.ApiTestKit.postAs;
import static io.gridledger.gateway.testkit.Fixtures.id;
import static io.gridledger.gateway.testkit.Fixtures.offer;
import static io.gridledger.gateway.testkit.Fixtures.pool;
import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs of Org1's partners assigned to other orgs' provider nodes, for the node exchange's tests: each test's offers
 * carry its own pool label, the partner submits through Org1's API (the input is the shared test input, stored), and
 * Org1 matches it on the ledger.
 */
final class ExchangeJobs {

    /** A matched job: its id and its replicas' assignments by index. */
    record Matched(String jobId, List<Assignment> assignments) {
        Assignment of(String mspId) {
            return assignments.stream().filter(a -> a.nodeId().startsWith(mspId + "/")).findFirst().orElseThrow();
        }
    }

    private ExchangeJobs() {
    }

    static Ledger ledger(String mspId) {
        return TestLedgers.of(mspId);
    }

    /** Offers of node1 of each org in {@code nodeOrgs} (one slot each), then a job of 2 replicas matched onto them. */
    static Matched submitAndMatch(HttpClient client, String partner, String test, long timeoutSeconds, String... nodeOrgs) {
        var labels = pool(test);
        for (var mspId : nodeOrgs) {
            var ledger = ledger(mspId);
            ledger.deposit("Admin", account(mspId, "node1"), 5_000);
            ledger.publishOffer("node1", offer(id("offer", test + "-" + mspId), 10, 1, labels));
        }
        var spec = job(labels);
        spec.put("timeoutSeconds", timeoutSeconds);
        var submitted = call(client, postAs("/api/v1/jobs", spec, partner));
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        var jobId = submitted.body().get("jobId").getStringValue();
        var assignments = ledger("Org1MSP").matchJobs("User1", List.of(jobId), List.of()).value().assignments().stream()
                .sorted(Comparator.comparingInt(Assignment::replica)).toList();
        assertThat(assignments).as("assignments of " + jobId).hasSize(2);
        return new Matched(jobId, assignments);
    }

    static Map<String, Object> deposit(long amount) {
        return Map.of("accountId", account("Org1MSP", "User1"), "amount", amount);
    }
}
