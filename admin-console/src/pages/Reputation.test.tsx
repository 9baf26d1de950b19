import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { QUIET, fakeGateway, renderConsole } from '../test/gateway';
import type { ReputationView } from '../api/types';

const reputation = (subject: string, score: number): ReputationView => ({
  subject, score, positiveEvidence: score / 10, negativeEvidence: 0, record: { dissented: 0, noShows: 0, disputed: 0, unrated: 0 },
});

describe('The reputation page', () => {
  it('ranks the members and this org\'s nodes by score, highest first', async () => {
    fakeGateway({
      ...QUIET,
      '/api/v1/consortium/members': () => ({ body: [reputation('Org2MSP', 40), reputation('Org1MSP', 90), reputation('Org3MSP', 65)] }),
      '/api/v1/nodes': () => ({ body: ['Org1MSP/node1@org1', 'Org1MSP/node2@org1'].map((nodeId) => ({
        nodeId, state: 'idle', online: true, runningJobs: 0, capacity: 1, lastSeen: 1, heartbeatAt: 1, offers: [] })) }),
      '/api/v1/reputation/node': (url) => ({ body: reputation(url.searchParams.get('nodeId')!, url.searchParams.get('nodeId')!.includes('node2') ? 80 : 30) }),
    });
    renderConsole('/reputation');

    const members = await screen.findByRole('table', { name: 'Members by reputation' });
    expect(within(members).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0].textContent))
      .toEqual(['Org1MSP', 'Org3MSP', 'Org2MSP']);
    const nodes = await screen.findByRole('table', { name: "This org's nodes by reputation" });
    expect(within(nodes).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0].textContent))
      .toEqual(['Org1MSP/node2@org1', 'Org1MSP/node1@org1']);
  });
});
