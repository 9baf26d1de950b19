import { useState, type FormEvent } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import { useAccounts, useDeposit } from '../api/hooks';
import { describeError, newIdempotencyKey } from '../api/client';
import type { Account } from '../api/types';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/Status';
import { Pager, useCursors } from '../components/Pager';
import { credits } from '../format';

const column = createColumnHelper<Account>();
const COLUMNS = [
  column.accessor('accountId', { header: 'Account' }),
  column.accessor('org', { header: 'Org' }),
  column.accessor('balance', { header: 'Balance', cell: (c) => credits(c.getValue()) }),
];

/**
 * A deposit into an account of this org. The Idempotency-Key is kept until the deposit succeeds, so pressing the
 * button again after a failure retries the same deposit and never deposits twice.
 */
function DepositForm() {
  const deposit = useDeposit();
  const [accountId, setAccountId] = useState('');
  const [amount, setAmount] = useState('');
  const [key, setKey] = useState(() => newIdempotencyKey('deposit'));
  const [done, setDone] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    deposit.mutate({ accountId: accountId.trim(), amount: Number(amount), idempotencyKey: key }, {
      onSuccess: (result) => {
        setDone(`Deposited ${credits(result.amount)} into ${result.accountId}: balance ${credits(result.balance)} (tx ${result.txId}).`);
        setKey(newIdempotencyKey('deposit'));
        setAmount('');
      },
    });
  }

  return (
    <form onSubmit={submit} className="stacked" aria-labelledby="deposit-title">
      <h2 id="deposit-title">Deposit</h2>
      <label htmlFor="deposit-account">Account of this org</label>
      <input id="deposit-account" required value={accountId} onChange={(e) => { setAccountId(e.target.value); setKey(newIdempotencyKey('deposit')); }} placeholder="Org1MSP/User1@org1" />
      <label htmlFor="deposit-amount">Amount (credits)</label>
      <input id="deposit-amount" required type="number" min={1} step={1} value={amount} onChange={(e) => { setAmount(e.target.value); setKey(newIdempotencyKey('deposit')); }} />
      <button type="submit" disabled={deposit.isPending}>{deposit.isPending ? 'Depositing…' : 'Deposit'}</button>
      {deposit.isError && <p role="alert" className="error">{describeError(deposit.error)}</p>}
      {done && <p role="status">{done}</p>}
    </form>
  );
}

export function Accounts() {
  const cursors = useCursors();
  const accounts = useAccounts(cursors.cursor);
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Accounts</h1>
      <QueryState what="accounts" query={accounts} isEmpty={(p) => p.items.length === 0} empty="No account of this org on this page.">
        {(page) => <DataTable caption="This org's accounts and balances" data={page.items} columns={COLUMNS} />}
      </QueryState>
      <Pager label="Pages of accounts" cursors={cursors} nextCursor={accounts.data?.nextCursor} busy={accounts.isPlaceholderData} />
      <DepositForm />
    </section>
  );
}
