package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.Offer;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Reputation;
import io.gridledger.chaincode.ledger.Caller;
import io.gridledger.chaincode.ledger.Json;
import io.gridledger.chaincode.ledger.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Read-only queries for gateways and the admin console. Listings are paginated over composite-key indexes
 * (LevelDB has no rich queries): a page lists at most {@code pageSize} items and at most {@link #MAX_PAGE_BYTES}
 * of JSON (so it always fits a gRPC message, whose default limit is 4 MiB), and a bookmark to continue from.
 */
public final class QueryService {

    public static final int MAX_PAGE_SIZE = 200;
    /** Most bytes of records one page carries; a page that would exceed it ends early with a bookmark. */
    public static final int MAX_PAGE_BYTES = 1 << 20;

    /** One page of results and the bookmark of the next page ({@code ""} when this is the last). */
    public record Paged<T>(List<T> items, String bookmark) {
    }

    /**
     * A node's or an org's reputation record with its score and the evidence behind it.
     *
     * @param positiveEvidence {@code A} of the score formula (see {@link Reputation})
     * @param negativeEvidence {@code B} of the score formula
     */
    public record ReputationView(String subject, Reputation record, int score, double positiveEvidence,
                                 double negativeEvidence) {
        static ReputationView of(String subject, Reputation record, io.gridledger.chaincode.domain.Params params) {
            return new ReputationView(subject, record, record.score(params),
                    record.positiveEvidence(params.reputationUnitCredits(), params.reputationCapPerOrg()),
                    record.negativeEvidence());
        }
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
        var page = lookup(ctx, Keys.offersOfClass(resourceClass), pageSize, bookmark,
                key -> ctx.state().get(Keys.offer(Keys.attributes(key).get(2)), Offer.class).orElseThrow());
        if (maxUnitPrice == 0) {
            return page;
        }
        var within = page.items().stream().filter(offer -> offer.unitPrice() <= maxUnitPrice).toList();
        return new Paged<>(within, within.size() < page.items().size() ? "" : page.bookmark());
    }

    public Paged<Offer> offersByNode(Context ctx, String nodeId, int pageSize, String bookmark) {
        AccountService.requireAccountId(nodeId);
        return lookup(ctx, Keys.offersOfNode(nodeId), pageSize, bookmark,
                key -> ctx.state().get(Keys.offer(Keys.attributes(key).get(1)), Offer.class).orElseThrow());
    }

    public ReputationView nodeReputation(Context ctx, String nodeId) {
        AccountService.requireAccountId(nodeId);
        var record = new ReputationStore(ctx.state()).ofNode(Caller.orgOfAccount(nodeId), nodeId);
        return ReputationView.of(nodeId, record, ctx.params());
    }

    public ReputationView orgReputation(Context ctx, String mspId) {
        Rejection.require(mspId != null && io.gridledger.chaincode.domain.Ids.isMspId(mspId), "invalid MSP ID '" + mspId + "'");
        var record = new ReputationStore(ctx.state()).ofOrg(mspId);
        return ReputationView.of(mspId, record, ctx.params());
    }

    /** Folds a node's older reputation entries into its record, so that reading it stays cheap. Anyone may. */
    public ReputationView compactReputation(Context ctx, String nodeId) {
        AccountService.requireAccountId(nodeId);
        var params = ctx.params();
        ctx.caller().requireMember(params, "CompactReputation");
        var store = new ReputationStore(ctx.state());
        store.compact(Caller.orgOfAccount(nodeId), nodeId, ctx.now() - 2 * params.clockToleranceSeconds());
        ctx.state().emit("ReputationCompacted", ContractEvent.of("ReputationCompacted"));
        return ReputationView.of(nodeId, store.ofNode(Caller.orgOfAccount(nodeId), nodeId), params);
    }

    static void requirePageSize(int pageSize) {
        Rejection.requireRange("pageSize", pageSize, 1, MAX_PAGE_SIZE);
    }

    private Paged<Job> jobs(Context ctx, String index, int pageSize, String bookmark) {
        return lookup(ctx, index, pageSize, bookmark,
                key -> ctx.state().get(Keys.job(Keys.attributes(key).get(1)), Job.class).orElseThrow());
    }

    /**
     * Loads the items of one page of an index. Stops early, with the next entry's key as the bookmark (where the next
     * page starts, as Fabric's bookmarks do), when the page's records would exceed {@link #MAX_PAGE_BYTES}.
     */
    private <T> Paged<T> lookup(Context ctx, String index, int pageSize, String bookmark, Function<String, T> load) {
        requirePageSize(pageSize);
        var page = ctx.state().page(index, pageSize, bookmark);
        var items = new ArrayList<T>();
        long bytes = 0;
        for (var entry : page.entries()) {
            var item = load.apply(entry.getKey());
            bytes += Json.toBytes(item).length;
            if (bytes > MAX_PAGE_BYTES && !items.isEmpty()) {
                return new Paged<>(items, entry.getKey());
            }
            items.add(item);
        }
        return new Paged<>(items, page.bookmark());
    }
}
