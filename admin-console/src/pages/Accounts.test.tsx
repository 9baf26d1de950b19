import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUIET, fakeGateway, json, renderConsole } from '../test/gateway';

const ACCOUNTS = { items: [{ accountId: 'Org1MSP/User1@org1', org: 'Org1MSP', balance: 1200 }], nextCursor: null };

async function deposit(amount: string) {
  const user = userEvent.setup();
  await user.clear(screen.getByLabelText('Account of this org'));
  await user.type(screen.getByLabelText('Account of this org'), 'Org1MSP/User1@org1');
  await user.clear(screen.getByLabelText('Amount (credits)'));
  await user.type(screen.getByLabelText('Amount (credits)'), amount);
  await user.click(screen.getByRole('button', { name: 'Deposit' }));
}

describe('The accounts page', () => {
  it('lists this org\'s balances and deposits with an Idempotency-Key, showing the new balance', async () => {
    const calls = fakeGateway({
      ...QUIET,
      '/api/v1/admin/accounts': () => ({ body: ACCOUNTS }),
      'POST /api/v1/admin/deposits': () => ({ body: { accountId: 'Org1MSP/User1@org1', amount: 300, balance: 1500, txId: 'tx-9' } }),
    });
    renderConsole('/accounts');
    const table = await screen.findByRole('table', { name: "This org's accounts and balances" });
    expect(within(table).getByText('1,200')).toBeInTheDocument();

    await deposit('300');

    expect(await screen.findByText(/Deposited 300 into Org1MSP\/User1@org1: balance 1,500/)).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.headers.get('Idempotency-Key')).toMatch(/^deposit-/);
    expect(post?.headers.get('Content-Type')).toBe('application/json');
  });

  it('retries a failed deposit with the same Idempotency-Key so it can never count twice', async () => {
    let attempts = 0;
    const calls = fakeGateway({
      ...QUIET,
      '/api/v1/admin/accounts': () => ({ body: ACCOUNTS }),
      'POST /api/v1/admin/deposits': () => (++attempts === 1
        ? json(503, { code: 'COMMIT_STATUS_UNKNOWN', message: 'the commit status is not known yet', details: [] })
        : json(200, { accountId: 'Org1MSP/User1@org1', amount: 300, balance: 1500, txId: 'tx-9' })),
    });
    renderConsole('/accounts');
    await screen.findByRole('table');

    await deposit('300');
    expect(await screen.findByRole('alert')).toHaveTextContent('COMMIT_STATUS_UNKNOWN');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Deposit' }));

    expect(await screen.findByText(/balance 1,500/)).toBeInTheDocument();
    const keys = calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });
});
