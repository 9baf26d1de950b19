package io.gridledger.chaincode.app;

import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.ledger.Caller;
import io.gridledger.chaincode.ledger.Caller.Role;
import io.gridledger.chaincode.ledger.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Credit accounts. Credits stand for money the member orgs settle between themselves off the ledger:
 * an org admin deposits credits into accounts of its own org and withdraws them again; identities
 * transfer credits; escrow and stakes are moved only by the contract.
 */
public final class AccountService {

    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}/[^\\u0000]{1,200}");

    /** An account and its balance. */
    public record Account(String accountId, String org, long balance) {
    }

    public Account deposit(Context ctx, String accountId, long amount) {
        requireAccountId(accountId);
        requireOwnOrgAdmin(ctx, accountId, "Deposit");
        requirePositive(amount);
        ctx.balances().credit(accountId, amount);
        ctx.state().emit("Deposited", ContractEvent.of("Deposited"));
        return account(ctx, accountId);
    }

    public Account withdraw(Context ctx, String accountId, long amount) {
        requireAccountId(accountId);
        requireOwnOrgAdmin(ctx, accountId, "Withdraw");
        requirePositive(amount);
        ctx.balances().debit(accountId, amount);
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

    public Account account(Context ctx, String accountId) {
        if (!Keys.TREASURY.equals(accountId)) {
            requireAccountId(accountId);
        }
        return new Account(accountId, Caller.orgOfAccount(accountId), ctx.balances().balance(accountId));
    }

    /** A page of accounts with non-zero balances, in account id order. */
    public QueryService.Paged<Account> list(Context ctx, int pageSize, String bookmark) {
        QueryService.requirePageSize(pageSize);
        var page = ctx.state().page(Keys.allBalances(), pageSize * Keys.BALANCE_SHARDS, bookmark);
        var accounts = new ArrayList<Account>();
        String lastId = null;
        long sum = 0;
        String nextBookmark = page.bookmark();
        String firstKeyOfLast = null;
        for (var entry : page.entries()) {
            var attributes = Keys.attributes(entry.getKey());
            var id = attributes.get(0);
            if (!id.equals(lastId)) {
                if (lastId != null) {
                    accounts.add(new Account(lastId, Caller.orgOfAccount(lastId), sum));
                }
                lastId = id;
                sum = 0;
                firstKeyOfLast = entry.getKey();
            }
            sum += Long.parseLong(entry.getStringValue());
        }
        if (lastId != null) {
            if (nextBookmark.isEmpty()) {
                accounts.add(new Account(lastId, Caller.orgOfAccount(lastId), sum));
            } else {
                // The last account may continue on the next page: list it there, whole.
                nextBookmark = firstKeyOfLast;
                if (accounts.isEmpty()) {
                    accounts.add(new Account(lastId, Caller.orgOfAccount(lastId), ctx.balances().balance(lastId)));
                    nextBookmark = page.bookmark();
                }
            }
        }
        return new QueryService.Paged<>(List.copyOf(accounts), nextBookmark);
    }

    private static void requireOwnOrgAdmin(Context ctx, String accountId, String action) {
        var caller = ctx.caller().require(ctx.params(), Role.ADMIN, action);
        if (!Caller.orgOfAccount(accountId).equals(caller.mspId())) {
            throw Rejection.forbidden(action + ": an admin of " + caller.mspId() + " acts only for accounts of "
                    + caller.mspId() + ", not " + accountId);
        }
    }

    static void requireAccountId(String accountId) {
        Rejection.require(accountId != null && ACCOUNT_ID.matcher(accountId).matches(),
                "account id must be '<MSP ID>/<common name>', got '" + accountId + "'");
    }

    private static void requirePositive(long amount) {
        Rejection.requireRange("amount", amount, 1, Params.MAX_CREDITS);
    }
}
