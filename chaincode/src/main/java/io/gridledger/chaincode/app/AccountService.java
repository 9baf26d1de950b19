package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.ledger.Caller;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.Keys;
import io.gridledger.chaincode.ledger.LedgerState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Credit accounts. Credits stand for money the member orgs settle between themselves off the ledger: an org
 * admin deposits credits into accounts of its own org and withdraws them again; identities transfer credits;
 * escrow and stakes are moved only by the contract.
 *
 * <p>Total supply is bounded where credits come into existence: each org may have at most
 * {@link Params#ORG_SUPPLY_LIMIT} net credits issued (deposits minus withdrawals, a counter per org), so all credits
 * together stay within {@link Params#MAX_CREDITS}. No account can then be pushed past the credit range, and no
 * member can make another account unable to receive a payment or a refund.
 */
public final class AccountService {

    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}/[^\\u0000]{1,200}");

    /** An account and its balance. */
    public record Account(String accountId, String org, long balance) {
    }

    public Account deposit(Context ctx, String accountId, long amount) {
        requireAccountId(accountId);
        var org = requireOwnOrgAdmin(ctx, accountId, "Deposit");
        requirePositive(amount);
        long issued = issued(ctx, org);
        if (issued + amount > Params.ORG_SUPPLY_LIMIT) {
            throw Rejection.invalid("deposit of " + amount + " would bring the credits " + org + " has issued to "
                    + (issued + amount) + ", above the limit of " + Params.ORG_SUPPLY_LIMIT + " per org");
        }
        writeIssued(ctx, org, issued + amount);
        ctx.balances().credit(accountId, amount);
        ctx.state().emit("Deposited", ContractEvent.of("Deposited"));
        return account(ctx, accountId);
    }

    public Account withdraw(Context ctx, String accountId, long amount) {
        requireAccountId(accountId);
        var org = requireOwnOrgAdmin(ctx, accountId, "Withdraw");
        requirePositive(amount);
        ctx.balances().debit(accountId, amount);
        writeIssued(ctx, org, issued(ctx, org) - amount);
        ctx.state().emit("Withdrawn", ContractEvent.of("Withdrawn"));
        return account(ctx, accountId);
    }

    public Account transfer(Context ctx, String toAccountId, long amount) {
        requireAccountId(toAccountId);
        var params = ctx.params();
        var caller = ctx.caller().requireMember(params, "Transfer");
        if (!params.isMember(Caller.orgOfAccount(toAccountId))) {
            throw Rejection.invalid("account " + toAccountId + " does not belong to a member org");
        }
        if (toAccountId.equals(caller.accountId())) {
            throw Rejection.invalid("cannot transfer to the same account");
        }
        requirePositive(amount);
        ctx.balances().transfer(caller.accountId(), toAccountId, amount);
        ctx.state().emit("Transferred", ContractEvent.of("Transferred"));
        return account(ctx, caller.accountId());
    }

    /** Folds an account's older credit entries into its balance, so that reading it stays cheap. Anyone may. */
    public Account compact(Context ctx, String accountId) {
        if (!Keys.TREASURY.equals(accountId)) {
            requireAccountId(accountId);
        }
        ctx.caller().requireMember(ctx.params(), "CompactAccount");
        ctx.balances().compact(accountId, ctx.now() - 2 * ctx.params().clockToleranceSeconds());
        ctx.state().emit("AccountCompacted", ContractEvent.of("AccountCompacted"));
        return account(ctx, accountId);
    }

    public Account account(Context ctx, String accountId) {
        if (!Keys.TREASURY.equals(accountId)) {
            requireAccountId(accountId);
        }
        return new Account(accountId, Caller.orgOfAccount(accountId), ctx.balances().balance(accountId));
    }

    /** A page of accounts that ever received credits, in account id order, with their balances. */
    public QueryService.Paged<Account> list(Context ctx, int pageSize, String bookmark) {
        QueryService.requirePageSize(pageSize);
        var page = ctx.state().page(Keys.allAccounts(), pageSize, bookmark);
        var accounts = new ArrayList<Account>();
        for (var entry : page.entries()) {
            var id = Keys.attributes(entry.getKey()).get(0);
            accounts.add(new Account(id, Caller.orgOfAccount(id), ctx.balances().balance(id)));
        }
        return new QueryService.Paged<>(List.copyOf(accounts), page.bookmark());
    }

    /** The net credits {@code org} has issued (negative when it withdrew more than it deposited). */
    public long issued(Context ctx, String org) {
        return ctx.state().getRaw(Keys.supply(org)).map(bytes -> Long.parseLong(LedgerState.utf8(bytes))).orElse(0L);
    }

    private static void writeIssued(Context ctx, String org, long value) {
        ctx.state().putRaw(Keys.supply(org), Long.toString(value).getBytes(StandardCharsets.UTF_8));
    }

    private static String requireOwnOrgAdmin(Context ctx, String accountId, String action) {
        var caller = ctx.caller().require(ctx.params(), Role.ADMIN, action);
        if (!Caller.orgOfAccount(accountId).equals(caller.mspId())) {
            throw Rejection.forbidden(action + ": an admin of " + caller.mspId() + " acts only for accounts of "
                    + caller.mspId() + ", not " + accountId);
        }
        return caller.mspId();
    }

    static void requireAccountId(String accountId) {
        Rejection.require(accountId != null && ACCOUNT_ID.matcher(accountId).matches(),
                "account id must be '<MSP ID>/<common name>', got '" + accountId + "'");
    }

    private static void requirePositive(long amount) {
        Rejection.requireRange("amount", amount, 1, Params.MAX_CREDITS);
    }
}
