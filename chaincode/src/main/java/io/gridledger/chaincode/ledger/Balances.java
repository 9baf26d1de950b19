package io.gridledger.chaincode.ledger;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;

import java.nio.charset.StandardCharsets;

/**
 * Credit balances, each spread over {@link Keys#BALANCE_SHARDS} keys.
 *
 * <p>A single balance key per account would be a hot key: every payment to a busy provider, every fee to
 * the treasury and every escrow from a busy client would read and write it, and concurrent transactions
 * would fail with {@code MVCC_READ_CONFLICT}. Instead a transaction credits one shard chosen by hashing
 * its tx id with the account, and debits starting from such a shard, moving on only when that shard is
 * short. Two concurrent transactions on one account then touch the same shard with probability 1/16.
 * The balance is the sum of the shards. The choice depends only on the tx id, so endorsers agree.
 */
public final class Balances {

    private final LedgerState state;

    public Balances(LedgerState state) {
        this.state = state;
    }

    public long balance(String accountId) {
        long total = 0;
        for (int shard = 0; shard < Keys.BALANCE_SHARDS; shard++) {
            total += shard(accountId, shard);
        }
        return total;
    }

    public void credit(String accountId, long amount) {
        requireAmount(amount);
        if (amount == 0) {
            return;
        }
        int shard = home(accountId);
        long current = shard(accountId, shard);
        long next = current + amount;
        if (next > Params.MAX_CREDITS || next < 0) {
            throw Rejection.invalid("account " + accountId + " would exceed the credit range");
        }
        write(accountId, shard, next);
    }

    /** Takes {@code amount} from the account or fails with {@code INSUFFICIENT_FUNDS}, changing nothing. */
    public void debit(String accountId, long amount) {
        requireAmount(amount);
        if (amount == 0) {
            return;
        }
        int home = home(accountId);
        long[] taken = new long[Keys.BALANCE_SHARDS];
        long remaining = amount;
        for (int i = 0; i < Keys.BALANCE_SHARDS && remaining > 0; i++) {
            int shard = (home + i) % Keys.BALANCE_SHARDS;
            long available = shard(accountId, shard);
            long take = Math.min(available, remaining);
            taken[shard] = take;
            remaining -= take;
        }
        if (remaining > 0) {
            throw new Rejection(ErrorCode.INSUFFICIENT_FUNDS,
                    "account " + accountId + " holds " + (amount - remaining) + " credits, " + amount + " needed");
        }
        for (int shard = 0; shard < Keys.BALANCE_SHARDS; shard++) {
            if (taken[shard] > 0) {
                write(accountId, shard, shard(accountId, shard) - taken[shard]);
            }
        }
    }

    public void transfer(String from, String to, long amount) {
        debit(from, amount);
        credit(to, amount);
    }

    private long shard(String accountId, int shard) {
        return state.getRaw(Keys.balance(accountId, shard))
                .map(bytes -> Long.parseLong(LedgerState.utf8(bytes)))
                .orElse(0L);
    }

    private void write(String accountId, int shard, long value) {
        var key = Keys.balance(accountId, shard);
        if (value == 0) {
            state.delete(key);
        } else {
            state.putRaw(key, Long.toString(value).getBytes(StandardCharsets.UTF_8));
        }
    }

    private int home(String accountId) {
        return Shards.pick(state.txId(), accountId, Keys.BALANCE_SHARDS);
    }

    private static void requireAmount(long amount) {
        Rejection.requireRange("amount", amount, 0, Params.MAX_CREDITS);
    }
}
