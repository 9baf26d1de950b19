import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUIET, fakeGateway, renderConsole } from '../test/gateway';
import type { NodeView, Offer } from '../api/types';

const node = (nodeId: string, online: boolean): NodeView => ({
  nodeId, state: online ? 'idle' : 'offline', online, runningJobs: online ? 1 : 0, capacity: 2, lastSeen: 1_796_000_000_000,
  heartbeatAt: 1_796_000_000_000, offers: [{ offerId: `o-${nodeId}`, status: 'ACTIVE', resourceClass: 'amd64/cpu', slots: 2, unitPrice: 5 }],
  runningReplicas: [],
});

const offer = (offerId: string, unitPrice: number): Offer => ({
  offerId, nodeId: 'Org2MSP/node1@org2', org: 'Org2MSP', slots: 2, unitPrice, stake: 100, status: 'ACTIVE', createdAt: 1, updatedAt: 1,
  slot: { cpuMillis: 2000, memoryMiB: 4096, gpuCount: 0, storageMiB: 1024, arch: 'amd64' },
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

  it('asks the gateway for the offers of a class up to a price and shows them', async () => {
    const calls = fakeGateway({
      ...QUIET,
      '/api/v1/offers': (url) => ({ body: { items: url.searchParams.get('maxUnitPrice') === '7' ? [offer('o-cheap', 5)] : [offer('o-cheap', 5), offer('o-dear', 9)], nextCursor: null } }),
    });
    renderConsole('/market');
    expect(await screen.findByText('o-dear')).toBeInTheDocument();
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Max unit price'), '7');
    await user.click(screen.getByRole('button', { name: 'Show offers' }));

    expect(await screen.findByText('o-cheap')).toBeInTheDocument();
    expect(screen.queryByText('o-dear')).not.toBeInTheDocument();
    const last = calls.filter((c) => c.path === '/api/v1/offers').at(-1);
    expect(Object.fromEntries(last!.search)).toMatchObject({ class: 'amd64/cpu', maxUnitPrice: '7' });
  });
});
