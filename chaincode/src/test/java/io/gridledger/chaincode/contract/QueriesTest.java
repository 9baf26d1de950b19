package io.gridledger.chaincode.contract;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gridledger.chaincode.contract.Consortium.ORG1;
import static io.gridledger.chaincode.contract.Consortium.ORG2;
import static io.gridledger.chaincode.contract.Consortium.account;
import static io.gridledger.chaincode.contract.Consortium.digest;
import static org.assertj.core.api.Assertions.assertThat;

/** Queries for gateways and the console: listings with bookmarks, a job's history, reputation. */
class QueriesTest {

    Consortium net;
    io.gridledger.chaincode.testing.Identity p1;
    io.gridledger.chaincode.testing.Identity p2;

    @BeforeEach
    void market() {
        net = Consortium.started();
        p1 = net.providerWithOffer(ORG1, "node1", "offer-1", 10, 5);
        p2 = net.providerWithOffer(ORG2, "node2", "offer-2", 12, 5);
        net.fund(net.client, 1_000_000);
        for (int i = 1; i <= 5; i++) {
            net.submitJob("job-" + i, 1, 1, 20);
        }
        net.match("job-1", "job-2");
    }

    private List<String> allPages(String function, String subject) {
        var ids = new ArrayList<String>();
        var bookmark = "";
        do {
            var page = net.query(function, subject, "2", bookmark);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(job -> ids.add(job.get("jobId").asText()));
            bookmark = page.get("bookmark").asText();
        } while (!bookmark.isEmpty());
        return ids;
    }

    @Test
    void jobs_are_listed_by_client_page_by_page() {
        assertThat(allPages("ListJobsByClient", account(net.client)))
                .containsExactly("job-1", "job-2", "job-3", "job-4", "job-5");
    }

    @Test
    void jobs_are_listed_by_status() {
        assertThat(allPages("ListJobsByStatus", "QUEUED")).containsExactly("job-3", "job-4", "job-5");
        assertThat(allPages("ListJobsByStatus", "RUNNING")).containsExactly("job-1", "job-2");
        assertThat(net.ledger.evaluate(net.client, "ListJobsByStatus", "SLEEPING", "2", "").errorCode())
                .isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void jobs_are_listed_by_the_provider_node_that_served_them() {
        assertThat(allPages("ListJobsByNode", account(p1))).containsExactly("job-1", "job-2");
        assertThat(allPages("ListJobsByNode", account(p2))).isEmpty();
    }

    @Test
    void a_page_size_out_of_range_is_refused() {
        assertThat(net.ledger.evaluate(net.client, "ListJobsByClient", account(net.client), "0", "").errorCode())
                .isEqualTo("INVALID_ARGUMENT");
        assertThat(net.ledger.evaluate(net.client, "ListJobsByClient", account(net.client), "100000", "").errorCode())
                .isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void a_jobs_history_shows_every_change_oldest_first() {
        net.advance(java.time.Duration.ofSeconds(40));
        net.commit(p1, "job-1", 0, digest('c'));
        net.reveal(p1, "job-1", 0, digest('c'), 30);
        net.settle("job-1");

        var history = net.query("GetJobHistory", "job-1");

        var assets = new ArrayList<String>();
        history.forEach(entry -> assets.add(entry.get("asset").asText() + (entry.get("deleted").asBoolean() ? " deleted" : "")));
        assertThat(assets).contains("job", "escrow", "escrow deleted", "replica/0", "commit/0", "reveal/0");
        assertThat(history.get(history.size() - 1).get("timestamp").asLong())
                .isGreaterThanOrEqualTo(history.get(0).get("timestamp").asLong());
        assertThat(history.findValues("status").stream().map(n -> n.asText()).toList()).contains("QUEUED", "RUNNING", "COMPLETED");
    }

    @Test
    void the_caller_can_read_its_own_account_and_parameters_are_public() {
        var me = Consortium.parse(net.ledger.evaluate(net.client, "WhoAmI").payload());
        assertThat(me.get("accountId").asText()).isEqualTo(account(net.client));
        assertThat(net.query("GetParameters").get("members")).hasSize(3);
    }
}
