package io.gridledger.chaincode.contract;

import io.gridledger.chaincode.app.AccountService;
import io.gridledger.chaincode.app.Context;
import io.gridledger.chaincode.app.GovernanceService;
import io.gridledger.chaincode.app.jobs.ExpiryService;
import io.gridledger.chaincode.app.jobs.JobQueries;
import io.gridledger.chaincode.app.jobs.JobStore;
import io.gridledger.chaincode.app.jobs.MatchingService;
import io.gridledger.chaincode.app.jobs.ResultService;
import io.gridledger.chaincode.app.jobs.SettlementService;
import io.gridledger.chaincode.app.jobs.SubmissionService;
import io.gridledger.chaincode.app.MarketService;
import io.gridledger.chaincode.app.QueryService;
import io.gridledger.chaincode.domain.JobSpec;
import io.gridledger.chaincode.domain.OfferSpec;
import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.ledger.Caller;
import io.gridledger.chaincode.ledger.Json;
import io.gridledger.chaincode.ledger.LedgerState;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contact;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.License;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The GridLedger contract. Every transaction is thin: it parses its arguments, builds the transaction's
 * {@link Context} and calls an application service; results are returned as JSON.
 *
 * <p>All arguments are strings and are parsed here, so a malformed number is an {@code INVALID_ARGUMENT}
 * like any other bad input. A refused transaction raises {@link ChaincodeException} whose message starts
 * with the {@link io.gridledger.chaincode.domain.ErrorCode} name ({@code "NOT_FOUND: job 'j1' does not exist"}),
 * with the same name as payload, and writes nothing.
 *
 * <p>Every transaction that can change state first checks that the proposal's timestamp is within the consortium's
 * clock tolerance of this peer's clock ({@link Context#requireTrustedTime}); queries do not. JSON arguments have size
 * limits, checked before they are parsed.
 */
@Contract(name = "gridledger", info = @Info(title = "GridLedger", description = "Consortium compute marketplace",
        version = "0.1.0", license = @License(name = "Apache-2.0"), contact = @Contact(name = "GridLedger")))
@Default
public final class GridLedgerContract implements ContractInterface {

    private final MarketService market = new MarketService();
    private final JobStore jobStore = new JobStore();
    private final SubmissionService submission = new SubmissionService(jobStore);
    private final MatchingService matching = new MatchingService(jobStore, market);
    private final ResultService results = new ResultService(jobStore);
    private final SettlementService settlement = new SettlementService(jobStore, market, results);
    private final ExpiryService expiry = new ExpiryService(jobStore, market, matching, results, settlement);
    private final JobQueries jobQueries = new JobQueries(jobStore);
    private final AccountService accounts = new AccountService();
    private final GovernanceService governance = new GovernanceService();
    private final QueryService queries = new QueryService();

    private static final int MAX_PARAMS_BYTES = 8 * 1024;
    private static final int MAX_ID_LIST_BYTES = 16 * 1024;

    // --- governance -------------------------------------------------------------------------------------

    /**
     * Approves genesis parameters for the caller's org (an admin of an org they list); they take effect with the
     * approval that brings a majority of the orgs they list.
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String InitLedger(org.hyperledger.fabric.contract.Context ctx, String paramsJson) {
        return submit(ctx, c -> governance.initLedger(c, parse("params", paramsJson, MAX_PARAMS_BYTES, Params.class)));
    }

    /** Which orgs approved a set of genesis parameters (the same JSON as given to InitLedger), and whether it applied. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetBootstrap(org.hyperledger.fabric.contract.Context ctx, String paramsJson) {
        return query(ctx, c -> governance.findBootstrap(c, parse("params", paramsJson, MAX_PARAMS_BYTES, Params.class)));
    }

    /** Proposes new parameters amending version {@code amendsVersion}, open until {@code expiresAt} (epoch seconds). */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String ProposeParameters(org.hyperledger.fabric.contract.Context ctx, String proposalId, String amendsVersion,
                                    String expiresAt, String paramsJson) {
        return submit(ctx, c -> governance.propose(c, proposalId, number("amendsVersion", amendsVersion),
                number("expiresAt", expiresAt), parse("params", paramsJson, MAX_PARAMS_BYTES, Params.class)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String ApproveProposal(org.hyperledger.fabric.contract.Context ctx, String proposalId) {
        return submit(ctx, c -> governance.approve(c, proposalId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetParameters(org.hyperledger.fabric.contract.Context ctx) {
        return query(ctx, Context::params);
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetProposal(org.hyperledger.fabric.contract.Context ctx, String proposalId) {
        return query(ctx, c -> governance.find(c, proposalId));
    }

    // --- accounts ---------------------------------------------------------------------------------------

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String Deposit(org.hyperledger.fabric.contract.Context ctx, String accountId, String amount) {
        return submit(ctx, c -> accounts.deposit(c, accountId, number("amount", amount)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String Withdraw(org.hyperledger.fabric.contract.Context ctx, String accountId, String amount) {
        return submit(ctx, c -> accounts.withdraw(c, accountId, number("amount", amount)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String Transfer(org.hyperledger.fabric.contract.Context ctx, String toAccountId, String amount) {
        return submit(ctx, c -> accounts.transfer(c, toAccountId, number("amount", amount)));
    }

    /** Folds an account's older credit entries into its balance (any member may; reads stay cheap). */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String CompactAccount(org.hyperledger.fabric.contract.Context ctx, String accountId) {
        return submit(ctx, c -> accounts.compact(c, accountId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetAccount(org.hyperledger.fabric.contract.Context ctx, String accountId) {
        return query(ctx, c -> accounts.account(c, accountId));
    }

    /** The caller's own account. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String WhoAmI(org.hyperledger.fabric.contract.Context ctx) {
        return query(ctx, c -> accounts.account(c, c.caller().accountId()));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListAccounts(org.hyperledger.fabric.contract.Context ctx, String pageSize, String bookmark) {
        return query(ctx, c -> accounts.list(c, integer("pageSize", pageSize), bookmark));
    }

    // --- offers -----------------------------------------------------------------------------------------

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String PublishOffer(org.hyperledger.fabric.contract.Context ctx, String offerJson) {
        return submit(ctx, c -> market.publish(c, parse("offer", offerJson, OfferSpec.MAX_BYTES, OfferSpec.class)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String UpdateOffer(org.hyperledger.fabric.contract.Context ctx, String offerJson) {
        return submit(ctx, c -> market.update(c, parse("offer", offerJson, OfferSpec.MAX_BYTES, OfferSpec.class)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String PauseOffer(org.hyperledger.fabric.contract.Context ctx, String offerId) {
        return submit(ctx, c -> market.pause(c, offerId));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String ResumeOffer(org.hyperledger.fabric.contract.Context ctx, String offerId) {
        return submit(ctx, c -> market.resume(c, offerId));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String WithdrawOffer(org.hyperledger.fabric.contract.Context ctx, String offerId) {
        return submit(ctx, c -> market.withdraw(c, offerId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetOffer(org.hyperledger.fabric.contract.Context ctx, String offerId) {
        return query(ctx, c -> market.find(c, offerId));
    }

    /** Offers of a resource class ({@code amd64/cpu}, {@code amd64/nvidia-a100}), cheapest first; maxUnitPrice 0 = any. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListOffers(org.hyperledger.fabric.contract.Context ctx, String resourceClass, String maxUnitPrice,
                             String pageSize, String bookmark) {
        return query(ctx, c -> queries.offersByClass(c, resourceClass, number("maxUnitPrice", maxUnitPrice),
                integer("pageSize", pageSize), bookmark));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListOffersByNode(org.hyperledger.fabric.contract.Context ctx, String nodeId, String pageSize, String bookmark) {
        return query(ctx, c -> queries.offersByNode(c, nodeId, integer("pageSize", pageSize), bookmark));
    }

    // --- jobs -------------------------------------------------------------------------------------------

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String SubmitJob(org.hyperledger.fabric.contract.Context ctx, String jobJson) {
        return submit(ctx, c -> submission.submit(c, parse("job", jobJson, JobSpec.MAX_BYTES, JobSpec.class)));
    }

    /**
     * Matches jobs awaiting matching (queued, or waiting for tie-breakers), given as a JSON array of job ids, after
     * returning to the market the slots that the jobs of {@code releaseJobIdsJson} (a JSON array, may be empty) no
     * longer need: the gateway passes the jobs whose end it saw.
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String MatchJobs(org.hyperledger.fabric.contract.Context ctx, String jobIdsJson, String releaseJobIdsJson) {
        return submit(ctx, c -> matching.match(c, ids("jobIds", jobIdsJson), ids("releaseJobIds", releaseJobIdsJson)));
    }

    /** Matches the oldest jobs awaiting matching in a resource class, e.g. after capacity appeared there. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String MatchQueue(org.hyperledger.fabric.contract.Context ctx, String resourceClass, String limit,
                             String releaseJobIdsJson) {
        return submit(ctx, c -> matching.matchQueue(c, resourceClass, integer("limit", limit),
                ids("releaseJobIds", releaseJobIdsJson)));
    }

    /** Returns to the market the slots the given jobs (a JSON array of ids) no longer need. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String ReleaseSlots(org.hyperledger.fabric.contract.Context ctx, String jobIdsJson) {
        return submit(ctx, c -> matching.release(c, ids("jobIds", jobIdsJson)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String CommitResult(org.hyperledger.fabric.contract.Context ctx, String jobId, String replica, String commitment) {
        return submit(ctx, c -> results.commit(c, jobId, integer("replica", replica), commitment));
    }

    /** Reveals a replica's result: the fingerprint, or for a tie-breaker (round 1) the digest itself. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String RevealResult(org.hyperledger.fabric.contract.Context ctx, String jobId, String replica, String result,
                               String salt, String runtimeSeconds) {
        return submit(ctx, c -> results.reveal(c, jobId, integer("replica", replica), result, salt,
                number("runtimeSeconds", runtimeSeconds)));
    }

    /** Decides a job from its reveals: complete and pay, add tie-breakers, or fail. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String SettleJob(org.hyperledger.fabric.contract.Context ctx, String jobId) {
        return submit(ctx, c -> settlement.settle(c, jobId));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String ExpireJob(org.hyperledger.fabric.contract.Context ctx, String jobId) {
        return submit(ctx, c -> expiry.expire(c, jobId));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String CancelJob(org.hyperledger.fabric.contract.Context ctx, String jobId) {
        return submit(ctx, c -> settlement.cancel(c, jobId));
    }

    /** A job with its replicas and remaining escrow. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetJob(org.hyperledger.fabric.contract.Context ctx, String jobId) {
        return query(ctx, c -> jobQueries.view(c, jobId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetJobHistory(org.hyperledger.fabric.contract.Context ctx, String jobId) {
        return query(ctx, c -> jobQueries.history(c, jobId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListJobsByClient(org.hyperledger.fabric.contract.Context ctx, String clientId, String pageSize, String bookmark) {
        return query(ctx, c -> queries.jobsByClient(c, clientId, integer("pageSize", pageSize), bookmark));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListJobsByNode(org.hyperledger.fabric.contract.Context ctx, String nodeId, String pageSize, String bookmark) {
        return query(ctx, c -> queries.jobsByNode(c, nodeId, integer("pageSize", pageSize), bookmark));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListJobsByStatus(org.hyperledger.fabric.contract.Context ctx, String status, String pageSize, String bookmark) {
        return query(ctx, c -> queries.jobsByStatus(c, status, integer("pageSize", pageSize), bookmark));
    }

    // --- reputation -------------------------------------------------------------------------------------

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetNodeReputation(org.hyperledger.fabric.contract.Context ctx, String nodeId) {
        return query(ctx, c -> queries.nodeReputation(c, nodeId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetOrgReputation(org.hyperledger.fabric.contract.Context ctx, String mspId) {
        return query(ctx, c -> queries.orgReputation(c, mspId));
    }

    /** Folds a node's older reputation entries into its record (any member may; reads stay cheap). */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String CompactReputation(org.hyperledger.fabric.contract.Context ctx, String nodeId) {
        return submit(ctx, c -> queries.compactReputation(c, nodeId));
    }

    // ---------------------------------------------------------------------------------------------------

    /** A transaction that may write: refused unless its timestamp is within the clock tolerance of this peer. */
    private static String submit(org.hyperledger.fabric.contract.Context fabric, Function<Context, Object> body) {
        return run(fabric, true, body);
    }

    private static String query(org.hyperledger.fabric.contract.Context fabric, Function<Context, Object> body) {
        return run(fabric, false, body);
    }

    private static String run(org.hyperledger.fabric.contract.Context fabric, boolean writes, Function<Context, Object> body) {
        try {
            var ctx = new Context(new LedgerState(fabric.getStub()), Caller.of(fabric.getClientIdentity()));
            if (writes) {
                ctx.requireTrustedTime();
            }
            return Json.toJson(body.apply(ctx));
        } catch (Rejection rejection) {
            // The Fabric Gateway passes clients only the message of a failed proposal, not its payload:
            // the code leads the message so that gateways can map it, and is the payload for the shim.
            throw new ChaincodeException(rejection.code().name() + ": " + rejection.getMessage(), rejection.code().name());
        }
    }

    /** Parses a JSON argument after checking its size, so an oversized request is refused before any work. */
    private static <T> T parse(String what, String json, int maxBytes, Class<T> type) {
        if (json != null && json.length() > maxBytes / 4 && json.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw Rejection.invalid(what + " is " + json.getBytes(StandardCharsets.UTF_8).length
                    + " bytes of JSON; at most " + maxBytes + " are accepted");
        }
        return Json.parse(what, json, type);
    }

    private static List<String> ids(String what, String json) {
        return Arrays.asList(parse(what, json, MAX_ID_LIST_BYTES, String[].class));
    }

    private static long number(String field, String value) {
        if (value == null || !value.matches("-?[0-9]{1,19}")) {
            throw Rejection.invalid(field + " must be an integer, got '" + value + "'");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw Rejection.invalid(field + " is out of range: " + value);
        }
    }

    private static int integer(String field, String value) {
        long parsed = number(field, value);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
            throw Rejection.invalid(field + " is out of range: " + value);
        }
        return (int) parsed;
    }
}
