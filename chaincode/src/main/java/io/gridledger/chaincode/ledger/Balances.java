package io.gridledger.chaincode.ledger;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * Credit balances, laid out so that paying an account never conflicts with anything.
 *
 * <ul>
 *   <li><b>Credits are entries.</b> A transaction that credits an account writes one new key of its own,
 *       {@code credit(account, time, txId)}, without reading anything: a blind write, which Fabric's MVCC check
 *       never invalidates. Settlements paying one provider, fees to the treasury and refunds to a client commit
 *       side by side, and since all credits in existence are bounded ({@link Params#ORG_SUPPLY_LIMIT}), a credit
 *       cannot fail.</li>
 *   <li><b>Spending draws on shards.</b> An account's spendable credits are spread evenly over
 *       {@link Keys#BALANCE_SHARDS} keys. A debit reads and writes only the shard picked by hashing its tx id, so
 *       concurrent debits of one account meet with probability 1/64; only when that shard is short does the debit
 *       fold all of the account's shards and credit entries together, and spread what remains evenly again.</li>
 *   <li><b>Compaction</b> folds credit entries older than a cutoff into the shards, so reads stay short. It reads
 *       entries only up to the first one at or after the cutoff, and new entries are stamped with their
 *       transaction's time (after it), so it does not collide with credits arriving meanwhile.</li>
 * </ul>
 *
 * <p>The balance is the sum of both. Every choice depends only on the tx id and the state, so endorsers agree.
 */
public final class Balances {

    private final LedgerState state;

    public Balances(LedgerState state) {
        this.state = state;
    }

    /** The account's balance: its shards and every credit entry not yet folded. */
    public long balance(String accountId) {
        long total = 0;
        for (var value : state.scan(Keys.balancesOf(accountId), entry -> entry.getValue())) {
            total = Math.addExact(total, parse(value));
        }
        for (var value : state.scan(Keys.creditsOf(accountId), entry -> entry.getValue())) {
            total = Math.addExact(total, parse(value));
        }
        return total;
    }

    /** Credits {@code amount} to the account with a blind write; never fails for an amount in range. */
    public void credit(String accountId, long amount) {
        requireAmount(amount);
        if (amount == 0) {
            return;
        }
        var key = Keys.credit(accountId, state.now(), state.txId());
        long earlier = state.getOwnWrite(key).map(Balances::parse).orElse(0L);
        state.putRaw(key, bytes(Math.addExact(earlier, amount)));
        state.putMarker(Keys.account(accountId));
    }

    /** Takes {@code amount} from the account or fails with {@code INSUFFICIENT_FUNDS}, changing nothing. */
    public void debit(String accountId, long amount) {
        requireAmount(amount);
        if (amount == 0) {
            return;
        }
        int home = Shards.pick(state.txId(), accountId, Keys.BALANCE_SHARDS);
        var homeKey = Keys.balance(accountId, home);
        long available = state.getRaw(homeKey).map(Balances::parse).orElse(0L);
        if (available >= amount) {
            write(homeKey, available - amount);
            return;
        }
        var pool = fold(accountId, Long.MAX_VALUE);
        if (pool.total < amount) {
            throw new Rejection(ErrorCode.INSUFFICIENT_FUNDS,
                    "account " + accountId + " holds " + pool.total + " credits, " + amount + " needed");
        }
        pool.keep(pool.total - amount);
    }

    public void transfer(String from, String to, long amount) {
        debit(from, amount);
        credit(to, amount);
    }

    /**
     * Folds the account's credit entries stamped before {@code cutoff} into its shards.
     *
     * @return how many entries were folded
     */
    public int compact(String accountId, long cutoff) {
        var pool = fold(accountId, cutoff);
        if (!pool.folded.isEmpty()) {
            pool.keep(pool.total);
        }
        return pool.folded.size();
    }

    /** Reads the shards and the credit entries before {@code cutoff}; nothing is written until {@link Pool#keep}. */
    private Pool fold(String accountId, long cutoff) {
        var shards = new long[Keys.BALANCE_SHARDS];
        long total = 0;
        for (var entry : state.scan(Keys.balancesOf(accountId), entry -> entry)) {
            int shard = Integer.parseInt(Keys.attributes(entry.getKey()).get(1));
            shards[shard] = parse(entry.getValue());
            total = Math.addExact(total, shards[shard]);
        }
        var folded = new ArrayList<String>();
        // Stop at the first entry at or after the cutoff, so the range read ends before entries still arriving.
        for (var entry : state.scan(Keys.creditsOf(accountId), entry -> entry)) {
            if (Keys.timeAttribute(entry.getKey(), 1) >= cutoff) {
                break;
            }
            total = Math.addExact(total, parse(entry.getValue()));
            folded.add(entry.getKey());
        }
        return new Pool(accountId, shards, total, folded);
    }

    private final class Pool {
        final String accountId;
        final long[] shards;
        final long total;
        final java.util.List<String> folded;

        Pool(String accountId, long[] shards, long total, java.util.List<String> folded) {
            this.accountId = accountId;
            this.shards = shards;
            this.total = total;
            this.folded = folded;
        }

        /**
         * Deletes the folded entries and writes {@code amount} spread evenly over the shards (the first
         * {@code amount % n} get one more).
         */
        void keep(long amount) {
            folded.forEach(state::delete);
            long base = amount / Keys.BALANCE_SHARDS;
            long extra = amount % Keys.BALANCE_SHARDS;
            for (int shard = 0; shard < Keys.BALANCE_SHARDS; shard++) {
                long value = base + (shard < extra ? 1 : 0);
                if (value != shards[shard]) {
                    write(Keys.balance(accountId, shard), value);
                }
            }
        }
    }

    private void write(String key, long value) {
        if (value == 0) {
            state.delete(key);
        } else {
            state.putRaw(key, bytes(value));
        }
    }

    private static byte[] bytes(long value) {
        return Long.toString(value).getBytes(StandardCharsets.UTF_8);
    }

    private static long parse(byte[] value) {
        return Long.parseLong(LedgerState.utf8(value));
    }

    private static void requireAmount(long amount) {
        Rejection.requireRange("amount", amount, 0, Params.MAX_CREDITS);
    }
}
