package io.gridledger.chaincode.app;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.Offer;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Reputation;
import io.gridledger.chaincode.ledger.Caller;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Read-only queries for gateways and the admin console. Listings are paginated over composite-key
 * indexes (LevelDB has no rich queries): a page lists at most {@code pageSize} items and a bookmark to
 * continue from.
 */
public final class QueryService {

    public static final int MAX_PAGE_SIZE = 200;

    /** One page of results and the bookmark of the next page ({@code ""} when this is the last). */
    public record Paged<T>(List<T> items, String bookmark) {
    }

    /** A node's or an org's reputation record with its score. */
    public record ReputationView(String subject, Reputation record, int score) {
    }

    /** One change in a job's history: which key (job, replica, escrow), when, by which transaction. */
    public record HistoryEntry(String asset, String txId, long timestamp, boolean deleted,
                               @JsonRawValue String value) {
    }

    public Paged<Job> jobsByClient(Context ctx, String clientId, int pageSize, String bookmark) {
        AccountService.requireAccountId(clientId);
        return jobs(ctx, Keys.jobsOfClient(clientId), pageSize, bookmark);
    }

    public Paged<Job> jobsByNode(Context ctx, String nodeId, int pageSize, String bookmark) {
        AccountService.requireAccountId(nodeId);
        return jobs(ctx, Keys.jobsOfNode(nodeId), pageSize, bookmark);
    }

    public Paged<Job> jobsByStatus(Context ctx, String status, int pageSize, String bookmark) {
        Job.Status parsed;
        try {
            parsed = Job.Status.valueOf(status == null ? "" : status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid("status must be one of " + java.util.Arrays.toString(Job.Status.values()) + ", got '" + status + "'");
        }
        return jobs(ctx, Keys.jobsWithStatus(parsed.name()), pageSize, bookmark);
    }

    /** Offers of a resource class up to a price, cheapest first (withdrawn offers are not listed). */
    public Paged<Offer> offersByClass(Context ctx, String resourceClass, long maxUnitPrice, int pageSize, String bookmark) {
        Rejection.require(resourceClass != null && resourceClass.matches("[a-z0-9][a-z0-9._-]{0,63}/[a-z0-9][a-z0-9._-]{0,63}"),
                "resourceClass must be '<arch>/<gpu model or cpu>', e.g. amd64/cpu, got '" + resourceClass + "'");
        Rejection.requireRange("maxUnitPrice", maxUnitPrice, 0, Long.MAX_VALUE);
        requirePageSize(pageSize);
        var page = ctx.state().page(Keys.offersOfClass(resourceClass), pageSize, bookmark);
        var offers = new ArrayList<Offer>();
        var next = page.bookmark();
        for (var entry : page.entries()) {
            var attributes = Keys.attributes(entry.getKey());
            if (maxUnitPrice > 0 && Long.parseLong(attributes.get(1)) > maxUnitPrice) {
                next = "";
                break;
            }
            offers.add(ctx.state().get(Keys.offer(attributes.get(2)), Offer.class).orElseThrow());
        }
        return new Paged<>(offers, next);
    }

    public Paged<Offer> offersByNode(Context ctx, String nodeId, int pageSize, String bookmark) {
        AccountService.requireAccountId(nodeId);
        return lookup(ctx, Keys.offersOfNode(nodeId), pageSize, bookmark,
                key -> ctx.state().get(Keys.offer(Keys.attributes(key).get(1)), Offer.class).orElseThrow());
    }

    public ReputationView nodeReputation(Context ctx, String nodeId) {
        AccountService.requireAccountId(nodeId);
        var record = new ReputationStore(ctx.state()).ofNode(Caller.orgOfAccount(nodeId), nodeId);
        return new ReputationView(nodeId, record, record.score());
    }

    public ReputationView orgReputation(Context ctx, String mspId) {
        Rejection.require(mspId != null && io.gridledger.chaincode.domain.Ids.isMspId(mspId), "invalid MSP ID '" + mspId + "'");
        var record = new ReputationStore(ctx.state()).ofOrg(mspId);
        return new ReputationView(mspId, record, record.score());
    }

    /** Every change to a job, its replicas and its escrow, oldest first. */
    public List<HistoryEntry> jobHistory(Context ctx, JobService jobs, String jobId) {
        var job = jobs.find(ctx, jobId);
        var keys = new ArrayList<String>();
        keys.add(Keys.job(jobId));
        keys.add(Keys.escrow(jobId));
        for (int index = 0; index < job.verification().replicas(); index++) {
            keys.add(Keys.replica(jobId, index));
        }
        var entries = new ArrayList<HistoryEntry>();
        for (var key : keys) {
            var attributes = Keys.attributes(key);
            var asset = key.equals(Keys.job(jobId)) ? "job" : key.equals(Keys.escrow(jobId)) ? "escrow" : "replica/" + attributes.get(1);
            for (var change : ctx.state().history(key)) {
                var value = change.value() == null ? null : LedgerState.utf8(change.value());
                entries.add(new HistoryEntry(asset, change.txId(), change.timestamp(), change.deleted(), value));
            }
        }
        entries.sort(Comparator.comparingLong(HistoryEntry::timestamp).thenComparing(HistoryEntry::asset));
        return entries;
    }

    static void requirePageSize(int pageSize) {
        Rejection.requireRange("pageSize", pageSize, 1, MAX_PAGE_SIZE);
    }

    private Paged<Job> jobs(Context ctx, String index, int pageSize, String bookmark) {
        return lookup(ctx, index, pageSize, bookmark,
                key -> ctx.state().get(Keys.job(Keys.attributes(key).get(1)), Job.class).orElseThrow());
    }

    private <T> Paged<T> lookup(Context ctx, String index, int pageSize, String bookmark, Function<String, T> load) {
        requirePageSize(pageSize);
        var page = ctx.state().page(index, pageSize, bookmark);
        var items = new ArrayList<T>();
        for (var entry : page.entries()) {
            items.add(load.apply(entry.getKey()));
        }
        return new Paged<>(items, page.bookmark());
    }
}
