package io.gridledger.chaincode.contract;

import io.gridledger.chaincode.app.AccountService;
import io.gridledger.chaincode.app.Context;
import io.gridledger.chaincode.app.GovernanceService;
import io.gridledger.chaincode.app.JobService;
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

import java.util.Arrays;
import java.util.function.Function;

/**
 * The GridLedger contract. Every transaction is thin: it parses its arguments, builds the transaction's
 * {@link Context} and calls an application service; results are returned as JSON.
 *
 * <p>All arguments are strings and are parsed here, so a malformed number is an {@code INVALID_ARGUMENT}
 * like any other bad input. A refused transaction raises {@link ChaincodeException} whose message starts
 * with the {@link io.gridledger.chaincode.domain.ErrorCode} name ({@code "NOT_FOUND: job 'j1' does not exist"}),
 * with the same name as payload, and writes nothing.
 */
@Contract(name = "gridledger", info = @Info(title = "GridLedger", description = "Consortium compute marketplace",
        version = "0.1.0", license = @License(name = "Apache-2.0"), contact = @Contact(name = "GridLedger")))
@Default
public final class GridLedgerContract implements ContractInterface {

    private final MarketService market = new MarketService();
    private final JobService jobs = new JobService(market);
    private final AccountService accounts = new AccountService();
    private final GovernanceService governance = new GovernanceService();
    private final QueryService queries = new QueryService();

    // --- governance -------------------------------------------------------------------------------------

    /** Bootstraps the consortium parameters, once, by an admin of a member org. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String InitLedger(org.hyperledger.fabric.contract.Context ctx, String paramsJson) {
        return run(ctx, c -> governance.initLedger(c, Json.parse("params", paramsJson, Params.class)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String ProposeParameters(org.hyperledger.fabric.contract.Context ctx, String proposalId, String paramsJson) {
        return run(ctx, c -> governance.propose(c, proposalId, Json.parse("params", paramsJson, Params.class)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String ApproveProposal(org.hyperledger.fabric.contract.Context ctx, String proposalId) {
        return run(ctx, c -> governance.approve(c, proposalId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetParameters(org.hyperledger.fabric.contract.Context ctx) {
        return run(ctx, Context::params);
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetProposal(org.hyperledger.fabric.contract.Context ctx, String proposalId) {
        return run(ctx, c -> governance.find(c, proposalId));
    }

    // --- accounts ---------------------------------------------------------------------------------------

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String Deposit(org.hyperledger.fabric.contract.Context ctx, String accountId, String amount) {
        return run(ctx, c -> accounts.deposit(c, accountId, number("amount", amount)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String Withdraw(org.hyperledger.fabric.contract.Context ctx, String accountId, String amount) {
        return run(ctx, c -> accounts.withdraw(c, accountId, number("amount", amount)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String Transfer(org.hyperledger.fabric.contract.Context ctx, String toAccountId, String amount) {
        return run(ctx, c -> accounts.transfer(c, toAccountId, number("amount", amount)));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetAccount(org.hyperledger.fabric.contract.Context ctx, String accountId) {
        return run(ctx, c -> accounts.account(c, accountId));
    }

    /** The caller's own account. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String WhoAmI(org.hyperledger.fabric.contract.Context ctx) {
        return run(ctx, c -> accounts.account(c, c.caller().accountId()));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListAccounts(org.hyperledger.fabric.contract.Context ctx, String pageSize, String bookmark) {
        return run(ctx, c -> accounts.list(c, integer("pageSize", pageSize), bookmark));
    }

    // --- offers -----------------------------------------------------------------------------------------

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String PublishOffer(org.hyperledger.fabric.contract.Context ctx, String offerJson) {
        return run(ctx, c -> market.publish(c, Json.parse("offer", offerJson, OfferSpec.class)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String UpdateOffer(org.hyperledger.fabric.contract.Context ctx, String offerJson) {
        return run(ctx, c -> market.update(c, Json.parse("offer", offerJson, OfferSpec.class)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String PauseOffer(org.hyperledger.fabric.contract.Context ctx, String offerId) {
        return run(ctx, c -> market.pause(c, offerId));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String ResumeOffer(org.hyperledger.fabric.contract.Context ctx, String offerId) {
        return run(ctx, c -> market.resume(c, offerId));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String WithdrawOffer(org.hyperledger.fabric.contract.Context ctx, String offerId) {
        return run(ctx, c -> market.withdraw(c, offerId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetOffer(org.hyperledger.fabric.contract.Context ctx, String offerId) {
        return run(ctx, c -> market.find(c, offerId));
    }

    /** Offers of a resource class ({@code amd64/cpu}, {@code amd64/nvidia-a100}), cheapest first; maxUnitPrice 0 = any. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListOffers(org.hyperledger.fabric.contract.Context ctx, String resourceClass, String maxUnitPrice,
                             String pageSize, String bookmark) {
        return run(ctx, c -> queries.offersByClass(c, resourceClass, number("maxUnitPrice", maxUnitPrice),
                integer("pageSize", pageSize), bookmark));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListOffersByNode(org.hyperledger.fabric.contract.Context ctx, String nodeId, String pageSize, String bookmark) {
        return run(ctx, c -> queries.offersByNode(c, nodeId, integer("pageSize", pageSize), bookmark));
    }

    // --- jobs -------------------------------------------------------------------------------------------

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String SubmitJob(org.hyperledger.fabric.contract.Context ctx, String jobJson) {
        return run(ctx, c -> jobs.submit(c, Json.parse("job", jobJson, JobSpec.class)));
    }

    /** Matches queued jobs, given as a JSON array of job ids. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String MatchJobs(org.hyperledger.fabric.contract.Context ctx, String jobIdsJson) {
        return run(ctx, c -> jobs.match(c, Arrays.asList(Json.parse("jobIds", jobIdsJson, String[].class))));
    }

    /** Matches the oldest queued jobs of a resource class, e.g. after capacity appeared there. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String MatchQueue(org.hyperledger.fabric.contract.Context ctx, String resourceClass, String limit) {
        return run(ctx, c -> jobs.matchQueue(c, resourceClass, integer("limit", limit)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String CommitResult(org.hyperledger.fabric.contract.Context ctx, String jobId, String replica, String commitment) {
        return run(ctx, c -> jobs.commit(c, jobId, integer("replica", replica), commitment));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String RevealResult(org.hyperledger.fabric.contract.Context ctx, String jobId, String replica, String digest,
                               String salt, String runtimeSeconds) {
        return run(ctx, c -> jobs.reveal(c, jobId, integer("replica", replica), digest, salt,
                number("runtimeSeconds", runtimeSeconds)));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String ExpireJob(org.hyperledger.fabric.contract.Context ctx, String jobId) {
        return run(ctx, c -> jobs.expire(c, jobId));
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String CancelJob(org.hyperledger.fabric.contract.Context ctx, String jobId) {
        return run(ctx, c -> jobs.cancel(c, jobId));
    }

    /** A job with its replicas and remaining escrow. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetJob(org.hyperledger.fabric.contract.Context ctx, String jobId) {
        return run(ctx, c -> jobs.view(c, jobId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetJobHistory(org.hyperledger.fabric.contract.Context ctx, String jobId) {
        return run(ctx, c -> queries.jobHistory(c, jobs, jobId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListJobsByClient(org.hyperledger.fabric.contract.Context ctx, String clientId, String pageSize, String bookmark) {
        return run(ctx, c -> queries.jobsByClient(c, clientId, integer("pageSize", pageSize), bookmark));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListJobsByNode(org.hyperledger.fabric.contract.Context ctx, String nodeId, String pageSize, String bookmark) {
        return run(ctx, c -> queries.jobsByNode(c, nodeId, integer("pageSize", pageSize), bookmark));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String ListJobsByStatus(org.hyperledger.fabric.contract.Context ctx, String status, String pageSize, String bookmark) {
        return run(ctx, c -> queries.jobsByStatus(c, status, integer("pageSize", pageSize), bookmark));
    }

    // --- reputation -------------------------------------------------------------------------------------

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetNodeReputation(org.hyperledger.fabric.contract.Context ctx, String nodeId) {
        return run(ctx, c -> queries.nodeReputation(c, nodeId));
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String GetOrgReputation(org.hyperledger.fabric.contract.Context ctx, String mspId) {
        return run(ctx, c -> queries.orgReputation(c, mspId));
    }

    // ---------------------------------------------------------------------------------------------------

    private static String run(org.hyperledger.fabric.contract.Context fabric, Function<Context, Object> body) {
        try {
            var ctx = new Context(new LedgerState(fabric.getStub()), Caller.of(fabric.getClientIdentity()));
            return Json.toJson(body.apply(ctx));
        } catch (Rejection rejection) {
            // The Fabric Gateway passes clients only the message of a failed proposal, not its payload:
            // the code leads the message so that gateways can map it, and is the payload for the shim.
            throw new ChaincodeException(rejection.code().name() + ": " + rejection.getMessage(), rejection.code().name());
        }
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
