import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUIET, anAdminOffer, fakeGateway, renderConsole } from '../test/gateway';
import type { NodeView } from '../api/types';

const node = (nodeId: string, online: boolean): NodeView => ({
  nodeId, state: online ? 'idle' : 'offline', online, runningJobs: online ? 1 : 0, capacity: 2, lastSeen: 1_796_000_000_000,
  heartbeatAt: 1_796_000_000_000, offers: [{ offerId: `o-${nodeId}`, status: 'ACTIVE', resourceClass: 'amd64/cpu', slots: 2, unitPrice: 5 }],
  runningReplicas: [],
});

describe('The offers and nodes page', () => {
  it('filters this org\'s nodes by state', async () => {
    fakeGateway({ ...QUIET, '/api/v1/nodes': () => ({ body: [node('n-up', true), node('n-down', false)] }) });
    renderConsole('/market');
    const nodes = await screen.findByRole('table', { name: 'Provider nodes' });
    expect(within(nodes).getAllByRole('row')).toHaveLength(3);

    await userEvent.setup().selectOptions(screen.getByLabelText('Node state'), 'offline');

    const filtered = screen.getByRole('table', { name: 'Provider nodes' });
    expect(within(filtered).getAllByRole('row')).toHaveLength(2);
    expect(within(filtered).getByText('n-down')).toBeInTheDocument();
  });

  it('lists every offer of the consortium with its slots in use, stake and reputation, each node linking to its page', async () => {
    fakeGateway({ ...QUIET, '/api/v1/admin/offers': () => ({ body: { items: [anAdminOffer('o-1'), anAdminOffer('o-2', { org: 'Org3MSP', nodeId: 'Org3MSP/node1@org3', slotsInUse: 0, reputation: 0.5 })], nextCursor: null } }) });
    renderConsole('/market');

    const offers = await screen.findByRole('table', { name: 'Offers, page 1' });
    const first = within(offers).getAllByRole('row')[1];
    expect(within(first).getAllByRole('cell').map((c) => c.textContent))
      .toEqual(['o-1', 'Org2MSP/node1@org2', 'Org2MSP', '2 CPU, 4096 MiB', '1 of 2', '5', '100', '0.83', 'ACTIVE']);
    expect(within(offers).getByRole('link', { name: 'Org3MSP/node1@org3' })).toHaveAttribute('href', '/nodes/Org3MSP/node1%40org3');
  });

  it('asks the gateway for the offers filtered by org and status, and sorted by the header chosen', async () => {
    const calls = fakeGateway({ ...QUIET, '/api/v1/admin/offers': () => ({ body: { items: [anAdminOffer('o-1')], nextCursor: null } }) });
    renderConsole('/market');
    await screen.findByRole('table', { name: 'Offers, page 1' });
    const user = userEvent.setup();
    const lastCall = () => Object.fromEntries(calls.filter((c) => c.path === '/api/v1/admin/offers').at(-1)!.search);

    await user.type(screen.getByLabelText('Org'), 'Org2MSP');
    await user.selectOptions(screen.getByLabelText('Offer status'), 'PAUSED');
    await user.click(screen.getByRole('button', { name: 'Show offers' }));
    await waitFor(() => expect(lastCall()).toMatchObject({ org: 'Org2MSP', status: 'PAUSED' }));

    await user.click(screen.getByRole('button', { name: 'Unit price' }));
    await waitFor(() => expect(lastCall()).toMatchObject({ org: 'Org2MSP', status: 'PAUSED', sort: expect.stringMatching(/^-?price$/) }));
    const first = lastCall().sort;
    expect(screen.getByRole('columnheader', { name: /Unit price/ })).toHaveAttribute('aria-sort', first === 'price' ? 'ascending' : 'descending');

    await user.click(screen.getByRole('button', { name: /Unit price/ }));
    await waitFor(() => expect(lastCall().sort).toBe(first === 'price' ? '-price' : 'price'));
    expect(screen.queryByRole('button', { name: 'Org' })).not.toBeInTheDocument();
  });

  it('says so when no offer matches', async () => {
    fakeGateway({ ...QUIET });
    renderConsole('/market');

    expect(await screen.findByText('No offer matches.')).toBeInTheDocument();
  });
});
