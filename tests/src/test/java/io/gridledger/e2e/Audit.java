package io.gridledger.e2e;

import io.gridledger.consortium.LocalStack;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.PageRequest;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every fault case checks on the ledger afterwards, read with Org1's admin identity (an auditor's view, not a
 * way of driving the stack): no credit created or lost, and every job in a terminal state.
 */
final class Audit {

    private Audit() {
    }

    /**
     * The credits issued equal, to the unit, every account's balance + the treasury (fees, slashed stakes) + every
     * offer's stake + every unfinished job's escrow.
     */
    static void assertCreditsConserved(LocalStack stack) {
        try (var ledger = stack.ledger("Org1MSP")) {
            long balances = 0;
            String bookmark = "";
            do {
                var page = ledger.listAccounts("Admin", new PageRequest(200, bookmark));
                for (var account : page.items()) {
                    if (!account.accountId().equals("treasury")) {
                        balances += account.balance();
                    }
                }
                bookmark = page.bookmark();
            } while (bookmark != null && !bookmark.isEmpty());
            long treasury = ledger.getAccount("Admin", "treasury").balance();
            long stakes = 0;
            for (var org : stack.settings().agentMspIds()) {
                for (var offer : ledger.listOffersByNode("Admin", LocalStack.account(org, "node1"), new PageRequest(200, "")).items()) {
                    stakes += offer.stake();
                }
            }
            long escrow = 0;
            for (var jobId : unfinishedJobs(stack)) {
                escrow += ledger.getJob("Admin", jobId).escrow();
            }
            assertThat(balances + treasury + stakes + escrow)
                    .as("balances %d + treasury %d + stakes %d + escrow %d = credits issued", balances, treasury, stakes, escrow)
                    .isEqualTo(stack.creditsIssued());
        }
    }

    /** Jobs still QUEUED or RUNNING on the ledger. */
    static List<String> unfinishedJobs(LocalStack stack) {
        var ids = new ArrayList<String>();
        try (var ledger = stack.ledger("Org1MSP")) {
            for (var status : List.of(Job.Status.QUEUED, Job.Status.RUNNING)) {
                String bookmark = "";
                do {
                    var page = ledger.listJobsByStatus("Admin", status, new PageRequest(200, bookmark));
                    page.items().forEach(job -> ids.add(job.jobId()));
                    bookmark = page.bookmark();
                } while (bookmark != null && !bookmark.isEmpty());
            }
        }
        return ids;
    }

    /** Every job the ledger holds has ended (completed, failed or cancelled). */
    static void assertEveryJobTerminal(LocalStack stack) {
        assertThat(unfinishedJobs(stack)).as("jobs not in a terminal state").isEmpty();
    }
}
